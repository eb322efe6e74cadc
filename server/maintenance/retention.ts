import { lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { proxyMinuteStats, signInAttempts } from '@/db/schema';
import type { PartitionManager } from './partitions';

/**
 * The periodic job: partitions ahead for the coming days, and everything older than the
 * retention period gone (events by dropping whole partitions, rollups by delete).
 */
export async function runRetention(db: Db, partitions: PartitionManager, nowMs: number, retentionDays: number) {
  await partitions.createAhead(nowMs);
  const dropped = await partitions.dropExpired(nowMs, retentionDays);
  const cutoff = new Date(nowMs - retentionDays * 86_400_000);
  await db.delete(proxyMinuteStats).where(lt(proxyMinuteStats.minute, cutoff));
  await db.delete(signInAttempts).where(lt(signInAttempts.ts, cutoff));
  return { dropped };
}
