import type { Db } from '@/db/client';
import { onRevocation } from './revocations';
import { lookupProxyToken, touchProxyToken, type ProxyPrincipal } from './tokens';

/** how long a token check is trusted; also how long a revocation on another replica takes to apply here */
export const TOKEN_CACHE_TTL_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Proxy-token checks on the ingest hot path without a query per batch. A token revoked in
 * this process stops working at once; one revoked on another replica, within TOKEN_CACHE_TTL_MS.
 */
export class ProxyTokenCache {
  private entries = new Map<string, { principal: ProxyPrincipal | null; until: number }>();
  private touched = new Map<string, number>();

  private readonly stopListening: () => void;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    this.stopListening = onRevocation((tokenId) => this.forget(tokenId));
  }

  close() {
    this.stopListening();
  }

  async verify(token: string): Promise<ProxyPrincipal | null> {
    const t = this.now();
    const hit = this.entries.get(token);
    let principal: ProxyPrincipal | null;
    if (hit && hit.until > t) {
      principal = hit.principal;
    } else {
      principal = await lookupProxyToken(this.db, token);
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(token, { principal, until: t + TOKEN_CACHE_TTL_MS });
    }
    if (principal && (this.touched.get(principal.tokenId) ?? 0) + TOUCH_EVERY_MS < t) {
      this.touched.set(principal.tokenId, t);
      await touchProxyToken(this.db, principal.tokenId, new Date(t));
    }
    return principal;
  }

  forget(tokenId: string) {
    for (const [k, v] of this.entries) if (v.principal?.tokenId === tokenId) this.entries.delete(k);
  }
}
