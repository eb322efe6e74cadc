import { handleBundle } from '@/server/policy/http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** The route reads the service from the request's own path (after authenticating), not from Next's decoded params. */
export async function GET(req: Request) {
  return handleBundle(req, await getRuntime());
}
