'use client';

import { useState } from 'react';
import { PRESETS, type Preset } from '@/server/traffic/time-range';
import { localStamp } from './time';
import type { TimeRangeState } from './use-time-range';

const LABELS: Record<Preset, string> = { '15m': '15m', '1h': '1h', '6h': '6h', '24h': '24h', '7d': '7d', '30d': '30d' };

/** `datetime-local` wants local time without a zone. */
const toLocalInput = (d: Date) => localStamp(d).replace(' ', 'T').slice(0, 16);

export function TimeRangePicker({ range }: { range: TimeRangeState }) {
  const [custom, setCustom] = useState(false);
  const [from, setFrom] = useState(() => toLocalInput(range.from ?? new Date(Date.now() - 3600_000)));
  const [to, setTo] = useState(() => toLocalInput(range.to ?? new Date()));
  const valid = from && to && new Date(from) < new Date(to);
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      <div className="segmented">
        {(Object.keys(PRESETS) as Preset[]).map((p) => (
          <button
            key={p}
            type="button"
            className={range.preset === p && !custom ? 'active' : undefined}
            aria-pressed={range.preset === p && !custom}
            onClick={() => {
              setCustom(false);
              range.setPreset(p);
            }}
          >
            {LABELS[p]}
          </button>
        ))}
        <button type="button" className={custom || !range.live ? 'active' : undefined} aria-pressed={custom || !range.live} onClick={() => setCustom(!custom)}>
          Custom
        </button>
      </div>
      {!range.live && !custom && range.from && range.to ? (
        <span className="muted mono">{localStamp(range.from)} → {localStamp(range.to)}</span>
      ) : null}
      {custom ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!valid) return;
            range.setAbsolute(new Date(from), new Date(to));
            setCustom(false);
          }}
        >
          <label className="visually-hidden" htmlFor="range-from">From</label>
          <input id="range-from" className="input" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          <span className="muted">→</span>
          <label className="visually-hidden" htmlFor="range-to">To</label>
          <input id="range-to" className="input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          <button className="btn primary small" type="submit" disabled={!valid}>Apply</button>
        </form>
      ) : null}
      {range.live ? <span className="live-dot" title="Follows the current time; refreshes every 30 s">live</span> : null}
    </div>
  );
}
