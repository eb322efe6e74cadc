import type { Db } from '@/db/client';
import { systemCtx } from '@/server/context';
import { schedule } from '@/server/maintenance/schedule';
import type { Metrics } from '@/server/ops/metrics';
import { runDueSchedules } from './schedules';

/** How often the console looks for due report schedules. */
export const REPORT_SCHEDULE_EVERY_MS = 60_000;

/**
 * The maintenance job that runs due report schedules (server/runtime.ts starts it beside
 * retention and compaction). In the background: a report can take a while to build.
 */
export function scheduleReportRuns(db: Db, metrics: Pick<Metrics, 'dbError'>, retentionDays: number) {
  return schedule('report schedules', REPORT_SCHEDULE_EVERY_MS, metrics, () =>
    runDueSchedules(systemCtx(db, 'report-schedules'), new Date(), { retentionDays }), { background: true, restFactor: 1 });
}
