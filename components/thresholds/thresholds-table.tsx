'use client';

import { Time } from '@/components/ui/time';
import { GLOBAL, WINDOW_KEYS, type ThresholdList } from './types';

type Row = ThresholdList['global'];

/** The global thresholds and each service's own, as they are in force now. */
export function ThresholdsTable({ list, canEdit, onEdit, onRemove }: {
  list: ThresholdList;
  canEdit: boolean;
  onEdit: (service: string) => void;
  onRemove: (service: string) => void;
}) {
  const rows: Row[] = [list.global, ...list.services];
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Scope</th><th className="num">Alert at</th><th className="num">Mitigate at</th>
            {WINDOW_KEYS.map((w) => <th key={w} className="num" title={`Sensitivity of the ${w} window, in robust deviations`}>{w}</th>)}
            <th>Changed</th>{canEdit ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.service} data-testid="threshold-row">
              <td>{r.service === GLOBAL ? <strong>Global</strong> : <span className="mono">{r.service}</span>}</td>
              <td className="num">{r.thresholds.alert}</td>
              <td className="num">{r.thresholds.mitigate}</td>
              {WINDOW_KEYS.map((w) => <td key={w} className="num">{r.thresholds.windows[w]}σ</td>)}
              <td className="who-cell">{r.updatedBy ? <><div>{r.updatedBy}</div><div className="faint"><Time value={r.updatedAt} relative /></div></> : <span className="faint">built-in defaults</span>}</td>
              {canEdit ? (
                <td className="actions">
                  <div className="row">
                    <button type="button" className="btn small" onClick={() => onEdit(r.service)}>Edit</button>
                    {r.service !== GLOBAL ? <button type="button" className="btn small danger" onClick={() => onRemove(r.service)}>Use global</button> : null}
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {list.services.length === 0 ? <p className="card-body muted small" style={{ margin: 0 }}>No service has thresholds of its own: every service uses the global ones.</p> : null}
    </div>
  );
}
