import { handleBundle } from '@/server/policy/http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ service: string[] }> }) {
  const { service } = await params;
  return handleBundle(req, await getRuntime(), service.map(decodeURIComponent).join('/'));
}
