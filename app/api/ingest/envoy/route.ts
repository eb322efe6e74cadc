import { handleEnvoyIngest } from '@/server/ingest/http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Envoy / Istio JSON access logs, one object per line. */
export async function POST(req: Request) {
  return handleEnvoyIngest(req, await getRuntime());
}
