// Checkpoints make truncation visible. A chain whose newest entries were deleted is still a
// valid chain; only someone who saw the head before can tell. So the console publishes the
// head (id, hash, count, time) every few minutes to its log output — shipped off the host,
// outside the database's reach — and at GET /api/health?audit, and checks at each one that
// the chain still reaches the previous one. `meshward audit verify --checkpoint <id>:<hash>`
// checks a saved one.
import { count, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import { log } from '@/server/log';
import { GENESIS_HASH } from './hash';

export interface Checkpoint {
  id: number;
  hash: string;
}

export interface PublishedCheckpoint extends Checkpoint {
  count: number;
  at: string;
  /** set when the chain no longer reaches the checkpoint published before this one */
  problem?: string;
}

export const formatCheckpoint = (c: Checkpoint) => `${c.id}:${c.hash}`;

/** `<id>:<hash>` as printed in the log and by `audit verify`. */
export function parseCheckpoint(text: string): Checkpoint {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw new Error(`a checkpoint is <entry id>:<64 hex digit hash>, as the console logs it ("audit checkpoint"); got "${text.slice(0, 100)}"`);
  return { id: Number(m[1]), hash: m[2] };
}

/** The head of the chain now (id 0 and the genesis hash when it is empty). */
export async function takeCheckpoint(db: Db, now: Date): Promise<PublishedCheckpoint> {
  const [head] = await db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const [{ n }] = await db.select({ n: count() }).from(auditLog);
  return { id: head?.id ?? 0, hash: head?.hash ?? GENESIS_HASH, count: Number(n), at: now.toISOString() };
}

/** Whether the chain still holds the checkpoint's entry with the same hash. */
export async function reaches(db: Db, c: Checkpoint): Promise<boolean> {
  if (c.id === 0) return c.hash === GENESIS_HASH;
  const [row] = await db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.id, c.id));
  return row?.hash === c.hash;
}

/** Publishes checkpoints (the maintenance schedule calls `publish`) and keeps the newest for /api/health?audit. */
export class CheckpointPublisher {
  latest: PublishedCheckpoint | null = null;

  constructor(private readonly db: Db) {}

  async publish(now = new Date()): Promise<PublishedCheckpoint> {
    const previous = this.latest;
    const next = await takeCheckpoint(this.db, now);
    if (previous && !(await reaches(this.db, previous))) {
      next.problem = `the audit log no longer reaches checkpoint ${formatCheckpoint(previous)} (published ${previous.at}): entries were removed or rewritten`;
      log.error({ audit_checkpoint: next, lost: previous }, 'audit log truncated or rewritten');
    } else if (previous?.problem && previous.id === next.id && previous.hash === next.hash) {
      next.problem = previous.problem; // the alarm stands until the chain moves on from the damage
    }
    log.info({ audit_checkpoint: { id: next.id, hash: next.hash, count: next.count, at: next.at } }, 'audit checkpoint');
    this.latest = next;
    return next;
  }
}
