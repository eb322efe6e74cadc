import { handleSigningKeys } from '@/server/policy/key-set-http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

export async function GET() {
  return handleSigningKeys((await getRuntime()).policy.keySet);
}
