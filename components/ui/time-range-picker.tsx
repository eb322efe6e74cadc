'use client';

import { useId, useState } from 'react';
import { isRelative, NAMED_RANGES, namedRange, namedRangeOf, parseTimeExpr, parseTimeRange, type NamedRange } from '@/lib/time-expr';
import { browserZone, formatWall, isUtcZone, zoneLabel } from '@/lib/time-zone';
import { PRESETS, type Preset } from '@/server/traffic/time-range';
import { REFRESH, REFRESH_LABELS, type Refresh } from './time-range-url';
import { useMounted } from './use-mounted';
import type { TimeRangeState } from './use-time-range';

const LABELS: Record<Preset, string> = { '15m': '15m', '1h': '1h', '6h': '6h', '24h': '24h', '7d': '7d', '30d': '30d' };
const CALENDAR: NamedRange[] = ['today', 'yesterday', 'this week'];

/** What the custom form starts from: the URL's expressions, an instant as `YYYY-MM-DD HH:mm` in the zone, or the preset as `now-6h`. */
function initialText(range: TimeRangeState, end: 'from' | 'to'): string {
  const expr = end === 'from' ? range.fromExpr : range.toExpr;
  if (expr !== null) {
    if (isRelative(expr)) return expr;
    const r = parseTimeExpr(expr, { now: Date.now(), zone: range.zone });
    return r.ok ? formatWall(r.ms, range.zone) : expr;
  }
  return end === 'from' ? `now-${range.preset ?? '1h'}` : 'now';
}

/** A fixed end goes into the URL as an ISO instant (a wall-clock time means nothing without its zone); `now…` as typed. */
function forUrl(text: string, zone: string): string {
  if (isRelative(text)) return text.trim().toLowerCase();
  const r = parseTimeExpr(text, { now: Date.now(), zone });
  return r.ok ? new Date(r.ms).toISOString() : text;
}

/**
 * The range picker: presets, calendar ranges, a custom range of expressions (`now-6h`, `now/d`)
 * or times (`YYYY-MM-DD HH:mm` in the shown zone), the zone with a switch to UTC, and the
 * refresh interval. Everything it sets goes into the URL (useTimeRange).
 */
export function TimeRangePicker({ range }: { range: TimeRangeState }) {
  const mounted = useMounted();
  const id = useId();
  const [custom, setCustom] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [tried, setTried] = useState(false);
  const named = range.fromExpr !== null && range.toExpr !== null ? namedRangeOf(range.fromExpr, range.toExpr) : null;
  const activeNamed = named && CALENDAR.includes(named) ? named : null;
  const customActive = custom || (range.preset === null && !activeNamed);
  const check = parseTimeRange(from, to, { now: Date.now(), zone: range.zone });
  const utc = range.zoneMode === 'utc';

  const openCustom = () => {
    if (custom) {
      setCustom(false);
      return;
    }
    setFrom(initialText(range, 'from'));
    setTo(initialText(range, 'to'));
    setTried(false);
    setCustom(true);
  };
  const choose = (apply: () => void) => {
    setCustom(false);
    apply();
  };

  return (
    <div className="range-picker" role="group" aria-label="Time range">
      <div className="segmented">
        {(Object.keys(PRESETS) as Preset[]).map((p) => (
          <button
            key={p}
            type="button"
            className={range.preset === p && !custom ? 'active' : undefined}
            aria-pressed={range.preset === p && !custom}
            onClick={() => choose(() => range.setPreset(p))}
          >
            {LABELS[p]}
          </button>
        ))}
        {CALENDAR.map((n) => (
          <button
            key={n}
            type="button"
            className={activeNamed === n && !custom ? 'active' : undefined}
            aria-pressed={activeNamed === n && !custom}
            onClick={() => choose(() => range.setExpressions(NAMED_RANGES[n].from, NAMED_RANGES[n].to))}
          >
            {NAMED_RANGES[n].label}
          </button>
        ))}
        <button type="button" className={customActive ? 'active' : undefined} aria-pressed={customActive} aria-expanded={custom} onClick={openCustom}>
          Custom
        </button>
      </div>
      {mounted && range.preset === null && !custom && range.from && range.to ? (
        <span className="muted mono" data-testid="range-window" title={`${range.fromExpr} → ${range.toExpr}`}>
          {formatWall(range.from.getTime(), range.zone)} → {formatWall(range.to.getTime(), range.zone)}
        </span>
      ) : null}
      {custom ? (
        <form
          className="row"
          style={{ alignItems: 'flex-start', gap: 8, flexWrap: 'wrap' }}
          aria-label="Custom time range"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setCustom(false);
          }}
          onSubmit={(e) => {
            e.preventDefault();
            setTried(true);
            if (!check.ok) return;
            // a calendar name typed in From ("yesterday") goes in as its expressions
            const pair = !to.trim() ? namedRange(from) : null;
            if (pair) range.setExpressions(pair.from, pair.to);
            else range.setExpressions(forUrl(from, range.zone), forUrl(to, range.zone));
            setCustom(false);
          }}
        >
          <label className="visually-hidden" htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`} className={`input mono${tried && !check.ok && check.error.startsWith('From') ? ' invalid' : ''}`} type="text" value={from}
            placeholder="now-6h, now/d, YYYY-MM-DD HH:mm" autoFocus autoComplete="off" spellCheck={false} style={{ width: 190 }}
            aria-invalid={tried && !check.ok} aria-describedby={`${id}-help${tried && !check.ok ? ` ${id}-error` : ''}`}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span className="muted" style={{ lineHeight: '30px' }}>→</span>
          <label className="visually-hidden" htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`} className={`input mono${tried && !check.ok && check.error.startsWith('To') ? ' invalid' : ''}`} type="text" value={to}
            placeholder="now" autoComplete="off" spellCheck={false} style={{ width: 190 }}
            aria-invalid={tried && !check.ok} aria-describedby={`${id}-help${tried && !check.ok ? ` ${id}-error` : ''}`}
            onChange={(e) => setTo(e.target.value)}
          />
          <button className="btn primary small" type="submit">Apply</button>
          <button className="btn small" type="button" onClick={() => setCustom(false)}>Cancel</button>
          <div style={{ flexBasis: '100%' }}>
            {tried && !check.ok ? (
              <div id={`${id}-error`} className="field-error" role="alert">{check.error}</div>
            ) : (
              <div id={`${id}-help`} className="faint small">
                {check.ok ? `${formatWall(check.from, range.zone)} → ${formatWall(check.to, range.zone)} · ` : ''}
                now-15m, now-6h, now/d (today 00:00), now-1d/d, now/w, or YYYY-MM-DD HH:mm in {utc ? 'UTC' : 'your zone'}
              </div>
            )}
          </div>
        </form>
      ) : null}
      <span className="row" style={{ gap: 6, alignItems: 'center' }}>
        <span className="muted small" data-testid="range-zone">{mounted ? zoneLabel(range.zone) : ' '}</span>
        {/* where the browser's zone is UTC already there is nothing to switch to */}
        {!utc && mounted && isUtcZone(browserZone()) ? null : <button
          type="button" className={`btn small${utc ? ' active' : ''}`} aria-pressed={utc}
          title={utc ? 'Showing times in UTC: press to show them in your browser\'s zone' : 'Show and read times in UTC'}
          onClick={() => range.setZoneMode(utc ? 'local' : 'utc')}
        >
          UTC
        </button>}
      </span>
      <label className="row muted small" style={{ gap: 6, alignItems: 'center' }}>
        Refresh
        <select className="select" value={range.refresh} style={{ width: 'auto', height: 28 }} onChange={(e) => range.setRefresh(e.target.value as Refresh)}>
          {(Object.keys(REFRESH) as Refresh[]).map((r) => <option key={r} value={r}>{REFRESH_LABELS[r]}</option>)}
        </select>
      </label>
      {range.live ? (
        <span className="live-dot" title={range.refreshMs ? `Follows the current time; refreshes every ${REFRESH_LABELS[range.refresh]}` : 'Follows the current time when reloaded; automatic refresh is off'}>
          live
        </span>
      ) : null}
    </div>
  );
}
