import { handleOtlpIngest } from '@/server/ingest/http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** OTLP/HTTP logs from proxies (protobuf or JSON, optionally gzip). server/main.ts answers this path before Next sees it; this file serves it when the app runs without that server. */
export async function POST(req: Request) {
  return handleOtlpIngest(req, await getRuntime());
}
