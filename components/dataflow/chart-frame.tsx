import type { ReactNode } from 'react';

/** A chart's place while it loads: the same height, so the page does not jump. */
export function ChartSkeleton({ height }: { height: number }) {
  return (
    <div className="chart-skeleton" style={{ height }} aria-busy="true" aria-label="Loading chart">
      <div className="skeleton" />
    </div>
  );
}

/** The empty state inside a chart's frame, at the chart's height. */
export function ChartEmpty({ height, title, children }: { height: number; title: string; children?: ReactNode }) {
  return (
    <div className="chart-empty" style={{ minHeight: height }}>
      <strong>{title}</strong>
      {children ? <span>{children}</span> : null}
    </div>
  );
}
