import { compact, full, percent } from '@/components/ui/format';
import { Time } from '@/components/ui/time';
import type { TokenActivity } from '@/server/traffic/token-activity';

/** The token's figures for the range, with first and last seen over everything retained. */
export function TokenTiles({ activity: a }: { activity: TokenActivity | undefined }) {
  return (
    <div className="tiles tiles-token" data-testid="token-tiles">
      <div className="stat tile">
        <span className="stat-label">Requests</span>
        <span className="stat-value">{a ? compact(a.totals.requests) : '…'}</span>
        <span className="stat-sub">{a ? `${full(a.totals.requests)} in range` : ''}</span>
      </div>
      <div className={`stat tile${a && a.totals.errors / Math.max(1, a.totals.requests) >= 0.05 ? ' danger' : ''}`}>
        <span className="stat-label">Errors</span>
        <span className="stat-value">{a ? percent(a.totals.errors / Math.max(1, a.totals.requests)) : '…'}</span>
        <span className="stat-sub">{a ? `${compact(a.totals.errors)} 5xx · ${compact(a.totals.clientErrors)} 4xx` : ''}</span>
      </div>
      <div className={`stat tile${a?.totals.matches ? ' warn' : ''}`}>
        <span className="stat-label">Sensitive matches</span>
        <span className="stat-value">{a ? compact(a.totals.matches) : '…'}</span>
        <span className="stat-sub">{a ? `${compact(a.totals.sensitiveEvents)} events · ${new Set(a.classes.map((c) => c.class)).size} classes` : ''}</span>
      </div>
      <div className="stat tile">
        <span className="stat-label">Services reached</span>
        <span className="stat-value">{a ? new Set(a.edges.map((e) => e.dst)).size : '…'}</span>
        <span className="stat-sub">{a ? `${a.edges.length} edges · ${a.routesTotal} routes` : ''}</span>
      </div>
      <div className="stat tile" data-testid="first-seen">
        <span className="stat-label">First seen</span>
        <span className="stat-value small-value">{a ? <Time value={a.firstSeen} /> : '…'}</span>
        <span className="stat-sub">{a?.firstSeen ? <Time value={a.firstSeen} relative /> : 'never'}</span>
      </div>
      <div className="stat tile" data-testid="last-seen">
        <span className="stat-label">Last seen</span>
        <span className="stat-value small-value">{a ? <Time value={a.lastSeen} /> : '…'}</span>
        <span className="stat-sub">{a?.lastSeen ? <Time value={a.lastSeen} relative /> : 'never'}</span>
      </div>
    </div>
  );
}
