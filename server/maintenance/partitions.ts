import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import { log } from '@/server/log';

const DAY_MS = 86_400_000;
const NAME = /^access_events_p(\d{4})(\d{2})(\d{2})$/;

export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function partitionName(day: number): string {
  return `access_events_p${dateOf(day).replace(/-/g, '')}`;
}

function dayFromName(name: string): number | null {
  const m = NAME.exec(name);
  return m ? dayOf(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

function isAlreadyExists(e: unknown): boolean {
  const code = (e as { code?: string; cause?: { code?: string } })?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  return code === '42P07' || code === '23505';
}

/**
 * Daily partitions of access_events: created ahead by the maintenance job and on demand
 * when a batch carries a day that has none yet (backfills), dropped after the retention period.
 */
export class PartitionManager {
  private known = new Set<number>();
  private pending = new Map<number, Promise<void>>();
  private loaded: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  async existing(): Promise<number[]> {
    const found = await rows<{ name: string }>(
      this.db,
      sql`select c.relname as name from pg_inherits i
          join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
          where p.relname = 'access_events'`,
    );
    return found.map((r) => dayFromName(r.name)).filter((d): d is number => d !== null).sort((a, b) => a - b);
  }

  private load(): Promise<void> {
    this.loaded ??= this.existing().then((days) => days.forEach((d) => this.known.add(d)));
    return this.loaded;
  }

  /** Makes sure every day holding one of these timestamps has its partition. */
  async ensureFor(timestampsMs: Iterable<number>): Promise<void> {
    const days = new Set<number>();
    for (const ts of timestampsMs) days.add(dayOf(ts));
    let missing = [...days].filter((d) => !this.known.has(d));
    if (!missing.length) return;
    await this.load();
    missing = missing.filter((d) => !this.known.has(d));
    await Promise.all(missing.map((d) => this.create(d)));
  }

  private create(day: number): Promise<void> {
    let p = this.pending.get(day);
    if (!p) {
      p = this.createNow(day).finally(() => this.pending.delete(day));
      this.pending.set(day, p);
    }
    return p;
  }

  private async createNow(day: number): Promise<void> {
    // Through a function that holds the DDL right, so the runtime role needs none (docs/sql/).
    try {
      await this.db.execute(sql`select meshward_create_event_partition(${dateOf(day)}::date)`);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    this.known.add(day);
  }

  /** Creates partitions for today and the next `aheadDays` days. */
  async createAhead(nowMs: number, aheadDays = 3): Promise<void> {
    const today = dayOf(nowMs);
    await this.ensureFor(Array.from({ length: aheadDays + 1 }, (_, i) => (today + i) * DAY_MS));
  }

  /** Drops partitions whose whole day is older than the retention period. */
  async dropExpired(nowMs: number, retentionDays: number): Promise<string[]> {
    const oldestKept = dayOf(nowMs) - retentionDays;
    const dropped: string[] = [];
    for (const day of await this.existing()) {
      if (day >= oldestKept) continue;
      const name = partitionName(day);
      await this.db.execute(sql`select meshward_drop_event_partition(${dateOf(day)}::date)`);
      this.known.delete(day);
      dropped.push(name);
    }
    if (dropped.length) log.info({ dropped }, 'dropped expired access event partitions');
    return dropped;
  }
}
