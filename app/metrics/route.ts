import { handleMetrics } from '@/server/ops/metrics-http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Prometheus text exposition of this process's metrics, for `Authorization: Bearer <MESHWARD_METRICS_TOKEN>` only. */
export async function GET(req: Request) {
  return handleMetrics(req, await getRuntime());
}
