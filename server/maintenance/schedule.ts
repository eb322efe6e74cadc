import { log } from '@/server/log';
import type { Metrics } from '@/server/ops/metrics';

export interface ScheduleOptions {
  /** after a run that took d ms, wait restFactor × d before the next: a slow job (compaction on a busy mesh) keeps to its share of the database */
  restFactor?: number;
  /** the first run does not hold up start-up (the console can serve while it catches up) */
  background?: boolean;
}

/**
 * A job run every `everyMs` and once now: a run still going when the next is due makes that
 * one skip, and a failure is logged and counted, the next run tries again.
 */
export async function schedule(name: string, everyMs: number, metrics: Pick<Metrics, 'dbError'>, run: () => Promise<unknown>, { restFactor = 0, background = false }: ScheduleOptions = {}) {
  let running = false;
  let notBefore = 0;
  const tick = async () => {
    if (running || Date.now() < notBefore) return;
    running = true;
    const started = Date.now();
    try {
      await run();
    } catch (e) {
      metrics.dbError(name);
      log.error({ err: e }, `${name} job failed`);
    } finally {
      running = false;
      const took = Date.now() - started;
      notBefore = Date.now() + took * restFactor;
      if (restFactor > 0 && took * (1 + restFactor) > everyMs) log.warn({ ms: took }, `${name} is slow: running less often than every ${everyMs / 1000} s`);
    }
  };
  if (background) void tick();
  else await tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return timer;
}
