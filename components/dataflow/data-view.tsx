'use client';

import Link from 'next/link';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useTimeRange } from '@/components/ui/use-time-range';
import { ClassFilter } from './class-filter';
import { FlowsTable } from './flows-table';
import { SensitiveHeatmap } from './heatmap';
import { useDataParams } from './use-data-params';

export function DataView() {
  const range = useTimeRange();
  const p = useDataParams();
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Sensitive data</h1>
          <p>Which services and tokens move which classes of sensitive data, over which edges, in which direction. <Link href="/data/classifiers">What the proxies look for →</Link></p>
        </div>
        <TimeRangePicker range={range} />
      </div>
      <ClassFilter range={range} value={p.dataClass} onChange={p.setClass} />
      <div className="ov-row">
        <SensitiveHeatmap range={range} dimension="service" dataClass={p.dataClass} />
        <SensitiveHeatmap range={range} dimension="token" dataClass={p.dataClass} />
      </div>
      <FlowsTable range={range} dataClass={p.dataClass} sort={p.sort} dir={p.dir} page={p.page}
        onSort={p.setSort} onPage={p.setPage} onClass={p.setClass} />
    </div>
  );
}
