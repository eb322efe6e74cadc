import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';

const TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;

/**
 * A proxy id belongs to the token that registered it. Another token may not report as that
 * proxy (it could hide a silent proxy, rewrite its version, or pre-empt its events'
 * idempotency keys) until the owning token is revoked, which frees the id for its successor.
 */
export class ProxyOwnership {
  private confirmed = new Map<string, { tokenId: string; until: number }>();

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  /** The ids among `proxyIds` that an active token other than `tokenId` owns. */
  async foreign(proxyIds: Iterable<string>, tokenId: string): Promise<string[]> {
    const t = this.now();
    const unknown: string[] = [];
    for (const id of new Set(proxyIds)) {
      const hit = this.confirmed.get(id);
      if (!hit || hit.until < t || hit.tokenId !== tokenId) unknown.push(id);
    }
    if (!unknown.length) return [];
    const owners = await rows<{ id: string; token_id: string; active: boolean }>(
      this.db,
      sql`select p.id, p.token_id, (t.id is not null and t.revoked_at is null) as active
          from proxies p left join proxy_tokens t on t.id = p.token_id
          where p.id in ${unknown}`,
    );
    const taken = new Set(owners.filter((o) => o.token_id !== tokenId && o.active).map((o) => o.id));
    if (this.confirmed.size > MAX_ENTRIES) this.confirmed.clear();
    for (const id of unknown) if (!taken.has(id)) this.confirmed.set(id, { tokenId, until: t + TTL_MS });
    return [...taken];
  }
}

export function foreignProxyMessage(ids: string[]): string {
  const shown = ids.slice(0, 3).map((id) => `"${id}"`).join(', ');
  return `proxy id ${shown}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''} belong${ids.length === 1 ? 's' : ''} to another proxy token; revoke that token to move the proxy to this one`;
}
