import { handleIngest } from '@/server/ingest/http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** OTLP/HTTP logs from proxies (protobuf or JSON, optionally gzip). */
export async function POST(req: Request) {
  return handleIngest(req, 'otlp', await getRuntime());
}
