// The identifier shapes apidisc2 puts into path parameters. `shapeMaker` fixes a shape's style
// once per value pool (this pool's dates are `20240307`, that one's integers are zero-padded)
// and returns the function that makes its values.
import { Prng } from './prng';
import {
  ADJECTIVES, AIRPORTS, CALLING_CODES, COUNTRY_ALPHA3, GIVEN_NAMES, ID_PREFIXES, MAIL_DOMAINS, MATERIALS, NOUNS,
  PRODUCT_ITEMS, PRODUCT_STEMS, SKU_COLOURS, SKU_SIZES, SURNAMES, VOCAB_WORDS,
} from './word-lists';

export const SHAPES = [
  'person-pascal', 'person-login', 'word-slug', 'pascal-words', 'product', 'base62', 'mixed-case', 'prefixed',
  'ticket-key', 'ulid', 'ksuid', 'date', 'timestamp', 'semver', 'e164', 'sku', 'upper-code', 'integer', 'decimal',
  'uuid', 'email', 'hex', 'vocab',
] as const;
export type Shape = (typeof SHAPES)[number];

/** Shapes whose values read like words or names (the hard identifiers). */
export const WORDLIKE_SHAPES: ReadonlySet<Shape> = new Set(['person-pascal', 'person-login', 'word-slug', 'pascal-words', 'product', 'mixed-case', 'prefixed', 'upper-code']);

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const BASE62 = DIGITS + UPPER + LOWER;
const CROCKFORD32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HEXDIGITS = '0123456789abcdef';

const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** a number with exactly `n` digits (no leading zero) */
function digitsOf(rng: Prng, n: number): string {
  return rng.string('123456789', 1) + rng.string(DIGITS, n - 1);
}

/** a time in ms between 2021-06 and 2025-10 */
const recentMs = (rng: Prng) => 1_622_505_600_000 + Math.floor(rng.unit() * 137_000_000_000);

function ulid(rng: Prng): string {
  let t = recentMs(rng);
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD32[t % 32] + head;
    t = Math.floor(t / 32);
  }
  return head + rng.string(CROCKFORD32, 16);
}

function ksuid(rng: Prng): string {
  let n = BigInt(Math.floor(recentMs(rng) / 1000) - 1_400_000_000);
  for (let i = 0; i < 4; i++) n = (n << 32n) | BigInt(rng.bits());
  let s = '';
  for (let i = 0; i < 27; i++) {
    s = BASE62[Number(n % 62n)] + s;
    n /= 62n;
  }
  return s;
}

function uuid(rng: Prng, version: 4 | 7, upper: boolean): string {
  let hex = rng.string(HEXDIGITS, 32);
  if (version === 7) hex = recentMs(rng).toString(16).padStart(12, '0') + hex.slice(12);
  hex = hex.slice(0, 12) + String(version) + hex.slice(13, 16) + '89ab'[rng.between(0, 3)] + hex.slice(17);
  const s = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return upper ? s.toUpperCase() : s;
}

function isoDate(rng: Prng): [string, string, string] {
  const d = new Date(recentMs(rng) - Math.floor(rng.unit() * 6 * 365 * 86_400_000));
  return [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1, 2), pad(d.getUTCDate(), 2)];
}

/**
 * A prefix for ids from the noun in the parameter's name: its first letter and the next
 * consonants (`customer` → `cst`, `shipment` → `shp`), else one of apidisc2's own.
 */
export function prefixFor(noun: string | undefined, rng: Prng): string {
  if (noun && noun.length >= 3) {
    const rest = noun.slice(1).replace(/[aeiou]/g, '');
    const p = (noun[0] + rest).slice(0, rng.chance(0.7) ? 3 : 4);
    if (p.length >= 3) return p;
  }
  return rng.one(ID_PREFIXES);
}

export type ValueMaker = (rng: Prng) => string;

/** The value maker of one pool: `shape` in a style drawn now from `rng`. */
export function shapeMaker(shape: Shape, rng: Prng, noun?: string): ValueMaker {
  switch (shape) {
    case 'person-pascal': {
      const middle = rng.chance(0.15);
      return (r) => r.one(GIVEN_NAMES) + (middle && r.chance(0.5) ? r.string(UPPER, 1) : '') + r.one(SURNAMES);
    }
    case 'person-login': {
      const style = rng.between(0, 4);
      const num = rng.chance(0.35);
      return (r) => {
        const g = r.one(GIVEN_NAMES).toLowerCase(), s = r.one(SURNAMES).toLowerCase();
        const base = [`${g}.${s}`, `${g[0]}${s}`, `${g}_${s}`, `${s}.${g}`, `${g}${s[0]}`][style];
        return num && r.chance(0.6) ? base + r.between(1, 9999) : base;
      };
    }
    case 'word-slug': {
      const n = rng.byWeight([[2, 3], [3, 5], [4, 1]] as const);
      return (r) => {
        const parts: string[] = [];
        for (let i = 0; i < n - 1; i++) parts.push(r.one(ADJECTIVES));
        parts.push(r.one(NOUNS));
        return parts.join('-');
      };
    }
    case 'pascal-words': {
      const suffix = rng.chance(0.3) ? rng.one(['Prod', 'Dev', 'Eu', 'West', 'Main', 'Backup']) : '';
      return (r) => cap(r.one(ADJECTIVES)) + cap(r.one(NOUNS)) + (suffix && r.chance(0.5) ? suffix : '');
    }
    case 'product': {
      const style = rng.between(0, 3);
      return (r) => {
        const stem = r.one(PRODUCT_STEMS), item = r.one(PRODUCT_ITEMS), mat = r.one(MATERIALS);
        if (style === 0) return stem + cap(item);
        if (style === 1) return `${stem.toLowerCase()}-${mat}-${item}`;
        if (style === 2) return `${mat}-${item}-${r.between(2, 60)}${r.one(['l', 'cm', 'in', 'oz'])}`;
        return `${stem}${cap(item)}${r.between(2, 9)}`;
      };
    }
    case 'base62': {
      const len = rng.between(10, 22);
      return (r) => r.string(BASE62, len);
    }
    case 'mixed-case': {
      const lo = rng.between(8, 12), hi = lo + rng.between(0, 6);
      return (r) => r.string(UPPER + LOWER, r.between(lo, hi));
    }
    case 'prefixed': {
      const prefix = prefixFor(noun, rng);
      const sep = rng.byWeight([['_', 8], ['-', 2], ['', 1]] as const);
      const len = rng.between(12, 24);
      return (r) => prefix + sep + r.string(BASE62, len);
    }
    case 'ticket-key': {
      const keys = Array.from({ length: rng.between(1, 5) }, () => rng.string(UPPER, rng.between(2, 5)));
      return (r) => `${r.one(keys)}-${r.between(1, 20_000)}`;
    }
    case 'ulid':
      return ulid;
    case 'ksuid':
      return ksuid;
    case 'date': {
      const style = rng.byWeight([[0, 7], [1, 2], [2, 1]] as const);
      return (r) => {
        const [y, m, d] = isoDate(r);
        return style === 0 ? `${y}-${m}-${d}` : style === 1 ? `${y}${m}${d}` : `${y}-${m}`;
      };
    }
    case 'timestamp': {
      const style = rng.between(0, 2);
      return (r) => {
        const ms = recentMs(r);
        if (style === 0) return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        return style === 1 ? String(Math.floor(ms / 1000)) : String(ms);
      };
    }
    case 'semver': {
      const v = rng.chance(0.35) ? 'v' : '';
      return (r) => {
        const core = `${v}${r.between(0, 4)}.${r.between(0, 15)}.${r.between(0, 30)}`;
        return r.chance(0.12) ? `${core}-${r.one(['rc', 'beta', 'alpha'])}.${r.between(1, 5)}` : core;
      };
    }
    case 'e164':
      return (r) => {
        const cc = r.one(CALLING_CODES);
        return `+${cc}${digitsOf(r, r.between(11, 13) - cc.length)}`;
      };
    case 'sku': {
      const style = rng.between(0, 2);
      const head = rng.chance(0.5) ? 'SKU' : rng.string(UPPER, 3);
      return (r) => {
        const n = r.string(DIGITS, 4), c = r.one(SKU_COLOURS), s = r.one(SKU_SIZES);
        return style === 0 ? `${head}-${n}-${c}` : style === 1 ? `${n}-${c}-${s}` : `${head}${n}${c}`;
      };
    }
    case 'upper-code': {
      const style = rng.between(0, 2);
      return (r) => (style === 0 ? r.one(COUNTRY_ALPHA3) : style === 1 ? r.one(AIRPORTS) : r.string(UPPER, 1) + r.string(UPPER + DIGITS, r.between(1, 3)));
    }
    case 'integer': {
      const style = rng.byWeight([['small', 4], ['medium', 4], ['snowflake', 1], ['padded', 1]] as const);
      if (style === 'small') return (r) => String(r.between(1, 999));
      if (style === 'medium') return (r) => digitsOf(r, r.between(4, 7));
      if (style === 'snowflake') return (r) => digitsOf(r, r.between(17, 19));
      const w = rng.between(6, 9);
      return (r) => pad(r.between(1, 10 ** (w - 2)), w);
    }
    case 'decimal':
      return (r) => `${r.between(0, 500)}.${r.between(0, 99)}`;
    case 'uuid': {
      const v7 = rng.chance(0.15), upper = rng.chance(0.1);
      return (r) => uuid(r, v7 ? 7 : 4, upper);
    }
    case 'email': {
      const login = shapeMaker('person-login', rng);
      const plus = rng.chance(0.2);
      return (r) => `${login(r)}${plus && r.chance(0.4) ? '+' + r.one(NOUNS) : ''}@${r.one(MAIL_DOMAINS)}`;
    }
    case 'vocab': {
      const list = rng.permute([...VOCAB_WORDS]).slice(0, rng.between(3, 9));
      return (r) => r.one(list);
    }
    case 'hex': {
      const len = rng.one([8, 16, 40, 64]);
      return (r) => r.string(HEXDIGITS, len);
    }
  }
}
