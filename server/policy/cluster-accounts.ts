// The cluster settings ingest needs per record (how a SPIFFE caller's service account maps back
// to its service), kept in memory and read again from the database at most every 10 s: a change
// on /settings/clusters reaches ingest within that, without a query per batch.
import type { Db } from '@/db/client';
import { clusterSettings } from '@/db/schema/cluster-settings';
import type { AccountMap } from '@/server/identity/account-map';
import { log } from '@/server/log';
import { clusterCompileSettings, EVERY_CLUSTER } from './cluster-settings';

export const ACCOUNTS_TTL_MS = 10_000;

export type AccountsOf = (cluster: string | null) => AccountMap | null;

export class ClusterAccounts {
  private maps = new Map<string, AccountMap>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  /** The accounts of a cluster (its own row, else `*`), fresh within ACCOUNTS_TTL_MS. */
  async resolver(): Promise<AccountsOf> {
    if (this.now() - this.loadedAt > ACCOUNTS_TTL_MS) {
      this.loading ??= this.load().finally(() => { this.loading = null; });
      await this.loading;
    }
    const maps = this.maps;
    return (cluster) => (cluster !== null ? maps.get(cluster) : undefined) ?? maps.get(EVERY_CLUSTER) ?? null;
  }

  private async load(): Promise<void> {
    try {
      const rows = await this.db.select().from(clusterSettings);
      const maps = new Map<string, AccountMap>();
      for (const r of rows) {
        const s = clusterCompileSettings.safeParse(r.settings);
        // a row edited around the console is left out (its cluster gets `*`), and said once per load
        if (!s.success) {
          log.error({ cluster: r.cluster }, 'cluster settings not valid: ingest ignores them');
          continue;
        }
        maps.set(r.cluster, { trustDomain: s.data.trustDomain, template: s.data.serviceAccountTemplate, exceptions: s.data.serviceAccounts });
      }
      this.maps = maps;
      this.loadedAt = this.now();
    } catch (e) {
      // the database is away: keep naming callers as before, try again on the next batch
      if (this.loadedAt === -Infinity) this.loadedAt = this.now() - ACCOUNTS_TTL_MS + 1000;
      log.warn({ err: (e as Error).message }, 'cluster settings could not be read: ingest uses the last ones');
    }
  }
}
