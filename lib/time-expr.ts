/**
 * Time-range expressions, as typed in the range picker and kept in the URL:
 *
 * - `now`, `now-15m`, `now-6h`, `now+1h`, `now-7d`, `now-2w` (units s, m, h, d, w)
 * - rounding to the start of a unit: `now/d` (today 00:00), `now-1d/d` (yesterday 00:00), `now/w` (Monday 00:00), `now/h`
 * - an instant with its zone: `2026-12-06T14:05:00Z`, `2026-12-06T15:05+01:00`
 * - a wall-clock time in the shown zone: `2026-12-06 14:05`, `2026-12-06T14:05:30`, `2026-12-06` (midnight)
 *
 * Days and weeks are calendar days in the zone (a DST day is 23 or 25 hours), so `now-1d/d` is
 * yesterday's midnight whatever the clocks did. `now` is rounded to the minute (up, or down when
 * the expression rounds further), so the same expression names the same instant for a whole minute (stable query keys between renders).
 * Pure: the clock and the zone are parameters.
 */
import { instantOf, wallAt, type Wall } from './time-zone';

export interface ExprContext {
  /** the current instant in ms */
  now: number;
  /** an IANA zone (`Europe/Berlin`) or `UTC`: where days start and wall-clock times are read */
  zone: string;
}

export type ExprResult = { ok: true; ms: number; relative: boolean } | { ok: false; error: string };
export type RangeResult = { ok: true; from: number; to: number; live: boolean } | { ok: false; error: string };

const UNITS = ['s', 'm', 'h', 'd', 'w'] as const;
type Unit = (typeof UNITS)[number];
const UNIT_MS: Record<'s' | 'm' | 'h', number> = { s: 1000, m: 60_000, h: 3600_000 };
const MINUTE = 60_000;

/** The named ranges the picker offers, as pairs of expressions. */
export const NAMED_RANGES = {
  today: { label: 'Today', from: 'now/d', to: 'now' },
  yesterday: { label: 'Yesterday', from: 'now-1d/d', to: 'now/d' },
  'this week': { label: 'This week', from: 'now/w', to: 'now' },
  'last week': { label: 'Last week', from: 'now-1w/w', to: 'now/w' },
  'last 24 hours': { label: 'Last 24 hours', from: 'now-24h', to: 'now' },
  'last 7 days': { label: 'Last 7 days', from: 'now-7d', to: 'now' },
  'last 30 days': { label: 'Last 30 days', from: 'now-30d', to: 'now' },
} as const;
export type NamedRange = keyof typeof NAMED_RANGES;

export function namedRange(text: string): (typeof NAMED_RANGES)[NamedRange] | null {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return key in NAMED_RANGES ? NAMED_RANGES[key as NamedRange] : null;
}

/** The named range whose expressions are exactly `from`/`to`, if any (for the picker's highlight). */
export function namedRangeOf(from: string, to: string): NamedRange | null {
  for (const [k, v] of Object.entries(NAMED_RANGES)) if (v.from === from && v.to === to) return k as NamedRange;
  return null;
}

/** Whether `text` follows the clock (`now…`), so a view over it refreshes. */
export const isRelative = (text: string) => /^now\b/i.test(text.trim());

function addDays(ms: number, days: number, zone: string): number {
  const w = wallAt(ms, zone);
  return instantOf({ ...w, day: w.day + days }, zone);
}

function roundDown(ms: number, unit: Unit, zone: string): number {
  if (unit === 's' || unit === 'm') return Math.floor(ms / UNIT_MS[unit]) * UNIT_MS[unit];
  const w = wallAt(ms, zone);
  if (unit === 'h') return instantOf({ ...w, minute: 0, second: 0 }, zone);
  const midnight: Wall = { ...w, hour: 0, minute: 0, second: 0 };
  if (unit === 'd') return instantOf(midnight, zone);
  // weeks start on Monday (ISO 8601)
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
  return instantOf({ ...midnight, day: w.day - weekday }, zone);
}

const isUnit = (u: string): u is Unit => (UNITS as readonly string[]).includes(u);

function parseRelative(text: string, ctx: ExprContext): ExprResult {
  // up to the end of this minute, so `now` includes it; down, when rounding to a day or week
  // follows, so that in the last seconds of a day `now/d` is still today
  let ms = (text.includes('/') ? Math.floor : Math.ceil)(ctx.now / MINUTE) * MINUTE;
  let rest = text.slice(3);
  const step = /^([+-])(\d+)([a-zA-Z]*)/;
  const round = /^\/([a-zA-Z]*)/;
  while (rest) {
    let m = step.exec(rest);
    if (m) {
      const [all, sign, n, unit] = m;
      if (!unit) return { ok: false, error: `missing unit after '${sign}${n}' in ${text} (use s, m, h, d or w)` };
      if (!isUnit(unit)) return { ok: false, error: `unknown unit '${unit}' in ${text} (use s, m, h, d or w)` };
      const amount = Number(n) * (sign === '-' ? -1 : 1);
      if (unit === 'd' || unit === 'w') ms = addDays(ms, amount * (unit === 'w' ? 7 : 1), ctx.zone);
      else ms += amount * UNIT_MS[unit];
      rest = rest.slice(all.length);
      continue;
    }
    m = round.exec(rest);
    if (m) {
      const [all, unit] = m;
      if (!unit) return { ok: false, error: `missing unit after '/' in ${text} (use s, m, h, d or w)` };
      if (!isUnit(unit)) return { ok: false, error: `unknown unit '${unit}' in ${text} (use s, m, h, d or w)` };
      ms = roundDown(ms, unit, ctx.zone);
      rest = rest.slice(all.length);
      continue;
    }
    return { ok: false, error: `cannot read '${rest}' in ${text}: expected -<n><unit>, +<n><unit> or /<unit>, as in now-6h or now/d` };
  }
  return { ok: true, ms, relative: true };
}

const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function checkFields(text: string, y: number, mo: number, d: number, h: number, mi: number, s: number): string | null {
  if (mo < 1 || mo > 12) return `month ${mo} out of range in ${text}`;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) return `day ${d} out of range in ${text}`;
  if (h > 23 || mi > 59 || s > 59) return `time out of range in ${text}`;
  return null;
}

/** One end of a range: an expression, an ISO instant with its zone, or a wall-clock time in `ctx.zone`. */
export function parseTimeExpr(input: string, ctx: ExprContext): ExprResult {
  const text = input.trim();
  if (!text) return { ok: false, error: 'empty time: type an expression such as now-6h, or YYYY-MM-DD HH:mm' };
  if (/^now/i.test(text)) return parseRelative(text.toLowerCase(), ctx);
  let m = ISO_WITH_ZONE.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
    const bad = checkFields(text, +y, +mo, +d, +h, +mi, +s);
    if (bad) return { ok: false, error: bad };
    let offset = 0;
    if (zone.toUpperCase() !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
      offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * MINUTE;
    }
    const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0'))) - offset;
    return { ok: true, ms, relative: false };
  }
  m = WALL.exec(text);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
    const bad = checkFields(text, +y, +mo, +d, +h, +mi, +s);
    if (bad) return { ok: false, error: bad };
    return { ok: true, ms: instantOf({ year: +y, month: +mo, day: +d, hour: +h, minute: +mi, second: +s }, ctx.zone), relative: false };
  }
  if (/^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/.test(text)) return { ok: false, error: `'${text}': write dates as YYYY-MM-DD HH:mm` };
  return { ok: false, error: `'${text}' is not a time: use now, now-6h, now/d, YYYY-MM-DD HH:mm or an ISO time with its zone` };
}

/**
 * A range from two ends (or a named range in `from`, such as "yesterday", with `to` empty).
 * `live` when the end follows the clock.
 */
export function parseTimeRange(fromText: string, toText: string, ctx: ExprContext): RangeResult {
  const named = !toText.trim() ? namedRange(fromText) : null;
  const [f, t] = named ? [named.from, named.to] : [fromText, toText];
  const from = parseTimeExpr(f, ctx);
  if (!from.ok) return { ok: false, error: `From: ${from.error}` };
  const to = parseTimeExpr(t, ctx);
  if (!to.ok) return { ok: false, error: `To: ${to.error}` };
  if (from.ms >= to.ms) return { ok: false, error: 'the range must start before it ends' };
  return { ok: true, from: from.ms, to: to.ms, live: to.relative };
}
