import { Time } from '@/components/ui/time';
import type { ProxyRollout } from '@/server/policy/rollout';
import { RolloutBadge } from './rollout-badge';

/** The service's proxies and the revision each last applied. */
export function FleetPanel({ fleet, live }: { fleet: ProxyRollout[]; live: number | null }) {
  return (
    <section className="card" aria-labelledby="fleet-title">
      <div className="card-head">
        <h2 id="fleet-title">Proxies</h2>
        <span className="muted">{live ? `should run revision ${live}` : 'nothing published yet'}</span>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>Proxy</th><th>Cluster</th><th>Applied</th><th>State</th><th>Last heartbeat</th></tr></thead>
          <tbody>
            {fleet.map((p) => (
              <tr key={p.id} data-testid="policy-proxy">
                <td className="mono">{p.id}{p.silent ? <> <span className="badge danger">silent</span></> : null}</td>
                <td>{p.cluster ?? <span className="faint">—</span>}</td>
                <td className="mono">{p.applied !== null ? `revision ${p.applied}` : p.reported ?? <span className="faint">none reported</span>}</td>
                <td><RolloutBadge state={p.state} /></td>
                <td><Time value={p.lastHeartbeatAt} relative /></td>
              </tr>
            ))}
          </tbody>
        </table>
        {fleet.length === 0 ? <div className="card-body muted">No proxy of this service has reported yet.</div> : null}
      </div>
    </section>
  );
}
