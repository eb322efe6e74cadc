import { handleHeartbeat } from '@/server/fleet/http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  return handleHeartbeat(req, await getRuntime());
}
