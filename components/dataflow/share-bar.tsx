import { compact, full } from '@/components/ui/format';

/** A figure with a bar showing its share of the largest one in its table. */
export function ShareBar({ value, max, label }: { value: number; max: number; label: string }) {
  return (
    <span className="share" title={`${full(value)} ${label}`}>
      <span className="share-bar" aria-hidden="true"><span style={{ width: `${max > 0 ? Math.max(2, (value / max) * 100) : 0}%` }} /></span>
      <span className="share-value">{compact(value)}</span>
    </span>
  );
}
