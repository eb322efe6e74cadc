/**
 * Wall-clock arithmetic in a time zone (an IANA name such as `Europe/Berlin`, or `UTC`), on
 * top of Intl only. Pure: the zone is always a parameter, so tests pin it.
 */

export const UTC = 'UTC';

/** The browser's (or the Node process's) zone. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || UTC;

export interface Wall {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` names a zone this runtime knows. */
export function isZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `zone` at instant `ms`. */
export function wallAt(ms: number, zone: string): Wall {
  if (zone === UTC) {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour === 24 ? 0 : parts.hour, minute: parts.minute, second: parts.second };
}

const wallAsUtc = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** `zone`'s offset from UTC at instant `ms`, in ms (Berlin in winter: +3 600 000). */
export function offsetAt(ms: number, zone: string): number {
  if (zone === UTC) return 0;
  const w = wallAt(ms, zone);
  return wallAsUtc(w) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time in `zone` names. A time skipped by a DST change (02:30 on the
 * spring-forward night) moves forward by the gap; a repeated one takes its first occurrence.
 * Fields may overflow (day 0, hour 25): they roll over as in Date.UTC.
 */
export function instantOf(w: Wall, zone: string): number {
  const asUtc = wallAsUtc(w);
  if (zone === UTC) return asUtc;
  const before = asUtc - offsetAt(asUtc - 86_400_000, zone);
  const after = asUtc - offsetAt(asUtc + 86_400_000, zone);
  // the first candidate whose wall clock is the one asked for (earlier = first occurrence)
  for (const c of [Math.min(before, after), Math.max(before, after)]) if (wallAsUtc(wallAt(c, zone)) === asUtc) return c;
  // in a gap: read the time with the offset from before the change, which lands past it
  return asUtc - offsetAt(asUtc - 86_400_000, zone);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-06 14:05` (with `:09` seconds when asked) in `zone`. */
export function formatWall(ms: number, zone: string, seconds = false): string {
  const w = wallAt(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}${seconds ? `:${pad(w.second)}` : ''}`;
}

/** `+01:00`, `-03:30`, `+00:00`. */
export function offsetText(offsetMs: number): string {
  const m = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** What the picker shows: `Europe/Berlin (UTC+01:00)`, or `UTC`. */
/** Zone names that are UTC under another name (`Etc/UTC`, `GMT`, `Zulu`). */
export function isUtcZone(zone: string): boolean {
  return /^(?:Etc\/)?(?:UTC|UCT|GMT|GMT0|Universal|Zulu|Greenwich)$/.test(zone);
}

export function zoneLabel(zone: string, at: number = Date.now()): string {
  if (isUtcZone(zone)) return UTC;
  return `${zone} (UTC${offsetText(offsetAt(at, zone))})`;
}
