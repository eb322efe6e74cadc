/**
 * The time range, refresh interval and display zone as URL parameters, and links that carry
 * them from page to page. Pure, so it is unit-tested; useTimeRange is the React side.
 *
 *   range=6h                           a preset (the server resolves it against its clock)
 *   from=now-6h&to=now                 expressions (lib/time-expr.ts), resolved in the browser
 *   from=2026-12-06T14:00:00.000Z&to=… absolute instants
 *   refresh=off|10s|30s|1m|5m          how often a live view refetches (default 30s)
 *   tz=utc                             show and read times in UTC (default: the browser's zone)
 */
import { isRelative, parseTimeRange } from '@/lib/time-expr';
import { UTC } from '@/lib/time-zone';
import { DEFAULT_PRESET, PRESETS, type Preset, type TimeRangeInput } from '@/server/traffic/time-range';

export const REFRESH = { off: false, '10s': 10_000, '30s': 30_000, '1m': 60_000, '5m': 300_000 } as const;
export type Refresh = keyof typeof REFRESH;
export const DEFAULT_REFRESH: Refresh = '30s';
export const REFRESH_LABELS: Record<Refresh, string> = { off: 'Off', '10s': '10 s', '30s': '30 s', '1m': '1 min', '5m': '5 min' };

export type ZoneMode = 'local' | 'utc';

/** The parameters this module owns. */
export const TIME_PARAMS = ['range', 'from', 'to', 'refresh', 'tz'] as const;

/** Pages whose views read the range; other pages get only `tz` (policies use `from`/`to` for revisions). */
const RANGE_AWARE = [/^\/$/, /^\/graph$/, /^\/data(\/tokens\/[^/]+)?$/, /^\/search$/, /^\/detections$/, /^\/apis\/[^/]+$/];
export const isRangeAware = (pathname: string) => RANGE_AWARE.some((r) => r.test(pathname));

const isPreset = (v: string | null): v is Preset => v !== null && Object.prototype.hasOwnProperty.call(PRESETS, v);
const isRefresh = (v: string | null): v is Refresh => v !== null && Object.prototype.hasOwnProperty.call(REFRESH, v);

type Params = { get(name: string): string | null };

export interface ResolvedTimeParams {
  /** what to send to the server */
  input: TimeRangeInput;
  preset: Preset | null;
  /** the expressions in the URL (absolute instants included), when not a preset */
  fromExpr: string | null;
  toExpr: string | null;
  /** resolved instants, when not a preset */
  from: Date | null;
  to: Date | null;
  /** follows the clock: a preset, or a range ending at a `now…` expression */
  live: boolean;
  refresh: Refresh;
  /** refetch interval for a live view, in ms; false when not live or refresh is off */
  refreshMs: number | false;
  zoneMode: ZoneMode;
  /** the IANA zone times are shown and read in */
  zone: string;
  /** `range=6h` or `from=…&to=…`, plus `refresh`/`tz` when not the defaults: for links to other views */
  query: string;
}

const enc = encodeURIComponent;

/**
 * Reads the time parameters. `from`/`to` that do not parse (or run backwards) fall back to the
 * preset, as a hand-edited URL should still open the page. `now` and `browserZone` are the clock
 * and the browser's zone.
 */
export function resolveTimeParams(params: Params, now: number, browserZone: string): ResolvedTimeParams {
  const zoneMode: ZoneMode = params.get('tz') === 'utc' ? 'utc' : 'local';
  const zone = zoneMode === 'utc' ? UTC : browserZone;
  const refresh = isRefresh(params.get('refresh')) ? (params.get('refresh') as Refresh) : DEFAULT_REFRESH;
  const fromExpr = params.get('from');
  const toExpr = params.get('to');
  const r = fromExpr && toExpr ? parseTimeRange(fromExpr, toExpr, { now, zone }) : null;
  const extra = `${refresh !== DEFAULT_REFRESH ? `&refresh=${refresh}` : ''}${zoneMode === 'utc' ? '&tz=utc' : ''}`;
  if (r?.ok) {
    const live = isRelative(toExpr!);
    return {
      input: { from: new Date(r.from), to: new Date(r.to) },
      preset: null, fromExpr, toExpr, from: new Date(r.from), to: new Date(r.to), live, refresh,
      refreshMs: live ? REFRESH[refresh] : false, zoneMode, zone,
      query: `from=${enc(fromExpr!)}&to=${enc(toExpr!)}${extra}`,
    };
  }
  const rangeParam = params.get('range');
  const preset = isPreset(rangeParam) ? rangeParam : DEFAULT_PRESET;
  return {
    input: { preset }, preset, fromExpr: null, toExpr: null, from: null, to: null, live: true, refresh,
    refreshMs: REFRESH[refresh], zoneMode, zone, query: `range=${preset}${extra}`,
  };
}

/** The changes to make for a new range (the other time parameters stay). */
export function rangeChanges(range: { preset: Preset } | { from: string; to: string }): Record<string, string | null> {
  return 'preset' in range ? { range: range.preset, from: null, to: null } : { range: null, from: range.from, to: range.to };
}

/** `params` with `changes` applied (null deletes), as a query string without `?`. */
export function withChanges(params: string, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  return next.toString();
}

/**
 * `href` with the time parameters of the current URL carried over, so the range, refresh and
 * zone follow the analyst from page to page. Range-aware pages get all of them; others only
 * `tz`. Parameters `href` sets itself win.
 */
export function carryTimeParams(href: string, current: Params): string {
  const [pathAndQuery, hash = ''] = href.split('#');
  const [path, query = ''] = pathAndQuery.split('?');
  const own = new URLSearchParams(query);
  const names = isRangeAware(path) ? TIME_PARAMS : (['tz'] as const);
  // an explicit range in href (either form) replaces the whole carried range
  const ownRange = own.has('range') || own.has('from') || own.has('to');
  const carried: string[] = [];
  for (const name of names) {
    if (own.has(name)) continue;
    if (ownRange && (name === 'range' || name === 'from' || name === 'to')) continue;
    const v = current.get(name);
    if (v !== null && v !== '') carried.push(`${name}=${enc(v)}`);
  }
  const qs = [query, ...carried].filter(Boolean).join('&');
  return `${path}${qs ? `?${qs}` : ''}${hash ? `#${hash}` : ''}`;
}
