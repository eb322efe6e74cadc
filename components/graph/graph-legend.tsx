import { classColorVar } from '@/components/dataflow/class-badge';
import { ERROR_BANDS, NO_DATA_COLOR } from './graph-elements';
import type { ColourMode } from './graph-url';
import { LockIcon } from './lock-icon';

const Line = ({ color, dash, width = 3 }: { color: string; dash?: string; width?: number }) => (
  <svg width="28" height="10" aria-hidden="true">
    <line x1="1" y1="5" x2="27" y2="5" stroke={color} strokeWidth={width} strokeDasharray={dash} />
  </svg>
);

/** What colour, width and line style mean, for the current colour mode. */
export function GraphLegend({ colour, classes }: { colour: ColourMode; classes: string[] }) {
  return (
    <aside className="graph-legend" aria-label="Legend">
      <div className="graph-legend-group">
        <span className="mini-title">{colour === 'errors' ? '5xx rate' : 'Top data class'}</span>
        {colour === 'errors'
          ? ERROR_BANDS.map((b) => <span key={b.label}><Line color={b.color} />{b.label}</span>)
          : classes.slice(0, 6).map((c) => <span key={c} className="mono"><Line color={classColorVar(c)} />{c}</span>)}
        <span><Line color={NO_DATA_COLOR} />{colour === 'errors' ? 'no requests' : 'none'}</span>
      </div>
      <div className="graph-legend-group">
        <span className="mini-title">mTLS</span>
        <span><Line color="var(--muted)" /><LockIcon /> all</span>
        <span><Line color="var(--muted)" dash="6 3" />part</span>
        <span><Line color="var(--muted)" dash="2 3" /><LockIcon open /> none</span>
      </div>
      <div className="graph-legend-group">
        <span className="mini-title">Width</span>
        <span><Line color="var(--muted)" width={1} />few</span>
        <span><Line color="var(--muted)" width={7} />many requests</span>
      </div>
    </aside>
  );
}
