import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASS_ORDER, classSlot, DATA_CLASS_PALETTE, KNOWN_CLASS_SLOTS, sortClasses, type ColourScheme } from './class-palette';

// sRGB → linear, WCAG relative luminance and contrast
const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (hex: string) => [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

// Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, on linear RGB
const DEFICIENCY = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
};
function lab(hex: string, m: number[][]): number[] {
  const c = rgb(hex);
  const [r, g, b] = m.map((row) => Math.min(1, Math.max(0, row[0] * c[0] + row[1] * c[1] + row[2] * c[2])));
  const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  const [fx, fy, fz] = xyz.map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116));
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The custom properties of the dark block (`:root`) and of the light one, from the stylesheet. */
function cssColours(): Record<ColourScheme, Record<string, string>> {
  const css = readFileSync(path.join(process.cwd(), 'app/globals.css'), 'utf8');
  const lightAt = css.indexOf('@media (prefers-color-scheme: light)');
  const props = (text: string) => Object.fromEntries([...text.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1], m[2].toLowerCase()]));
  const end = css.indexOf('\n}\n', lightAt);
  return { dark: props(css.slice(0, lightAt)), light: props(css.slice(lightAt, end)) };
}

describe('data class palette', () => {
  const css = cssColours();

  it.each(['dark', 'light'] as const)('keeps 3:1 against the %s panel and page background', (scheme) => {
    for (const colour of DATA_CLASS_PALETTE[scheme]) {
      expect(contrast(colour, css[scheme].panel), `${colour} on panel`).toBeGreaterThanOrEqual(3);
      expect(contrast(colour, css[scheme].bg), `${colour} on bg`).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(['dark', 'light'] as const)('tells every colour apart in the %s scheme, with normal vision and with protanopia or deuteranopia', (scheme) => {
    const pal = DATA_CLASS_PALETTE[scheme];
    // CIE76 ΔE of the simulated colours: ≥ 12 looks like another colour, ≥ 8 under the deficiencies
    const least = { normal: 12, protanopia: 8, deuteranopia: 8 };
    for (const [kind, m] of Object.entries(DEFICIENCY) as [keyof typeof least, number[][]][]) {
      for (let i = 0; i < pal.length; i++) {
        for (let j = i + 1; j < pal.length; j++) {
          expect(distance(lab(pal[i], m), lab(pal[j], m)), `${kind}: ${pal[i]} vs ${pal[j]}`).toBeGreaterThanOrEqual(least[kind]);
        }
      }
    }
  });

  it('gives card numbers and passwords (and every known class but one pair of keys) colours of their own', () => {
    expect(classSlot('credit_card')).not.toBe(classSlot('password'));
    const slots = Object.entries(KNOWN_CLASS_SLOTS).filter(([c]) => c !== 'api_key').map(([, s]) => s);
    expect(new Set(slots).size).toBe(slots.length);
    expect(classSlot('api_key')).toBe(classSlot('private_key'));
  });

  it('declares the same colours in the stylesheet', () => {
    for (const scheme of ['dark', 'light'] as const) {
      DATA_CLASS_PALETTE[scheme].forEach((colour, i) => expect(css[scheme][`dc-${i}`], `${scheme} --dc-${i}`).toBe(colour));
    }
  });

  it('hashes other classes onto the palette, and sorts classes in one order', () => {
    for (const c of ['customer_id', 'x', 'passport']) expect(classSlot(c)).toBeLessThan(DATA_CLASS_PALETTE.dark.length);
    expect(sortClasses(['zeta', 'email', 'credit_card', 'alpha', 'password'])).toEqual(['credit_card', 'password', 'email', 'alpha', 'zeta']);
    expect(CLASS_ORDER.every((c) => c in KNOWN_CLASS_SLOTS)).toBe(true);
  });
});
