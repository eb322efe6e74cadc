import { handleSigningKey } from '@/server/policy/http';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

export async function GET() {
  return handleSigningKey(await getRuntime());
}
