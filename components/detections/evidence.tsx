'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { Time } from '@/components/ui/time';
import { ActorChip } from './badges';
import type { DetectionView } from './types';

type Evidence = DetectionView['evidence'];
const num = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toFixed(3)).toString());

/** The features that carried the score, each against its baseline. */
export function FeaturesTable({ features }: { features: Evidence['features'] }) {
  if (!features.length) return <div className="card-body muted">The engine named no features for this incident.</div>;
  return (
    <div className="table-wrap">
      <table className="table compact-table">
        <thead><tr><th>Feature</th><th>Window</th><th className="num">Value</th><th className="num">Usual</th><th className="num">Deviation</th><th>What it means</th></tr></thead>
        <tbody>
          {features.map((f, i) => (
            <tr key={i} data-testid="feature-row">
              <td className="mono nowrap">{f.feature}</td>
              <td className="mono">{f.window ?? 'session'}</td>
              <td className="num">{num(f.value)}</td>
              <td className="num">{num(f.baseline)}</td>
              <td className="num">{f.deviation === null ? '—' : `${num(f.deviation)}×`}</td>
              <td className="feature-text">{f.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WindowsFired({ windows }: { windows: string[] }) {
  const all = ['5m', '30m', '4h', '24h'];
  return (
    <div className="windows-fired" aria-label="Windows whose features fired">
      {all.map((w) => (
        <span key={w} className={`window-chip${windows.includes(w) ? ' fired' : ''}`} title={windows.includes(w) ? 'fired' : 'did not fire'}>
          {windows.includes(w) ? '● ' : '○ '}{w}
        </span>
      ))}
    </div>
  );
}

export function TransitionsTable({ transitions }: { transitions: Evidence['transitions'] }) {
  if (!transitions.length) return <div className="card-body muted">No unlikely steps between endpoints.</div>;
  return (
    <div className="table-wrap">
      <table className="table compact-table">
        <thead><tr><th>From</th><th aria-hidden="true" /><th>To</th><th className="num">Likelihood</th><th className="num">Times</th></tr></thead>
        <tbody>
          {transitions.map((t, i) => (
            <tr key={i} data-testid="transition-row">
              <td className="mono transition-cell">{t.from}</td>
              <td className="faint" aria-hidden="true">→</td>
              <td className="mono transition-cell">{t.to}</td>
              <td className="num">{t.probability < 0.001 ? '<0.1%' : `${(t.probability * 100).toFixed(1)}%`}</td>
              <td className="num">{t.count.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A few requests that show it; the request id finds the event in the proxies' logs. */
export function ExamplesTable({ examples }: { examples: Evidence['examples'] }) {
  if (!examples.length) return <div className="card-body muted">No example requests were kept.</div>;
  return (
    <div className="table-wrap">
      <table className="table compact-table">
        <thead><tr><th>Time</th><th>Request</th><th className="num">Status</th><th>Actor</th><th>Request id</th></tr></thead>
        <tbody>
          {examples.map((x, i) => (
            <tr key={i} data-testid="example-row">
              <td><Time value={new Date(x.ts)} /></td>
              <td className="example-request"><span className="method">{x.method}</span> <span className="mono">{x.path}</span></td>
              <td className="num">{x.status}</td>
              <td><ActorChip type={x.actor.type} id={x.actor.id} /></td>
              <td className="nowrap"><span className="mono request-id" title={x.requestId}>{x.requestId}</span> <CopyButton text={x.requestId} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
