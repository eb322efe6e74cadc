import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Prometheus text exposition of this process's metrics. */
export async function GET() {
  const { metrics } = await getRuntime();
  return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } });
}
