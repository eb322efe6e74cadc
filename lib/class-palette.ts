// The colours of sensitive-data classes, one set per colour scheme, used by every view that
// colours a class (graph, charts, badges, legends). Paul Tol's "muted" qualitative scheme, made
// for colour-vision deficiencies, with lightness moved per scheme so each colour keeps at least
// 3:1 against the panel it is drawn on (WCAG 1.4.11); class-palette.test.ts checks both, and that
// app/globals.css declares the same colours as --dc-0 … --dc-7 for CSS. Eight colours: past eight,
// APIs stop telling hues apart under deuteranopia, so the ninth known class shares a slot with
// its nearest kin (api_key with private_key), and the class name is always written beside it.

export type ColourScheme = 'dark' | 'light';

export const DATA_CLASS_PALETTE: Record<ColourScheme, readonly string[]> = {
  dark: ['#cc6677', '#8c7fe0', '#ddcc77', '#3daa5c', '#88ccee', '#d05a8e', '#a8a83a', '#c267b6'],
  light: ['#cc6677', '#332288', '#8f7a1f', '#117733', '#2b7ba6', '#882255', '#6f6f1f', '#aa4499'],
};

/** Well-known classes keep one slot everywhere; card numbers and passwords are far apart. */
export const KNOWN_CLASS_SLOTS: Readonly<Record<string, number>> = {
  credit_card: 0,
  password: 1,
  ssn: 2,
  iban: 3,
  email: 4,
  private_key: 5,
  phone: 6,
  jwt: 7,
  api_key: 5,
};

/** The known classes first, in one order for every chart and table; others after them by name. */
export const CLASS_ORDER = ['credit_card', 'ssn', 'iban', 'password', 'private_key', 'api_key', 'jwt', 'email', 'phone'];

export function classSlot(name: string): number {
  const known = KNOWN_CLASS_SLOTS[name];
  if (known !== undefined) return known;
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % DATA_CLASS_PALETTE.dark.length;
}

export function classColourIn(scheme: ColourScheme, name: string): string {
  return DATA_CLASS_PALETTE[scheme][classSlot(name)];
}

/** For CSS (badges, legends): follows the page's colour scheme by itself. */
export function classColourVar(name: string): string {
  return `var(--dc-${classSlot(name)})`;
}

/** `classes` in CLASS_ORDER, then the rest by name: both heatmaps and every table list them so. */
export function sortClasses(classes: readonly string[]): string[] {
  const rank = (c: string) => {
    const i = CLASS_ORDER.indexOf(c);
    return i === -1 ? CLASS_ORDER.length : i;
  };
  return [...classes].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
