// The rules the console screens detections with and configures the engine with, as stored:
// thresholds, the allow-list and the suppressions in force. Read by the live service (again
// whenever they change, and every few seconds for changes made on another console) and by the
// backtest.
import { and, gt, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionSuppressions } from '@/db/schema/detections';
import { AllowMatcher } from './allow-match';
import { loadAllowList } from './allow-list';
import type { ScreenRules } from './screen';
import { loadThresholds } from './thresholds';
import { DetectionEngine, type EngineOptions } from './engine';
import type { AllowEntry, Detection, EngineEvent, ThresholdSet } from './types';

export interface StoredRules extends ScreenRules {
  allowEntries: AllowEntry[];
}

export async function loadRules(db: Db, now: Date): Promise<StoredRules> {
  const [thresholds, allowEntries, suppressions] = await Promise.all([
    loadThresholds(db),
    loadAllowList(db),
    db.select({
      scope: detectionSuppressions.scope, kind: detectionSuppressions.kind, service: detectionSuppressions.service,
      actorType: detectionSuppressions.actorType, actorId: detectionSuppressions.actorId,
    }).from(detectionSuppressions).where(and(isNull(detectionSuppressions.liftedAt), gt(detectionSuppressions.expiresAt, now))),
  ]);
  return { thresholds, allowEntries, allow: new AllowMatcher(allowEntries), suppressions };
}

/** What the console drives an engine through (DetectionEngine; tests pass fakes). */
export interface DetectionRunner {
  observe(events: readonly EngineEvent[]): void;
  advance(watermark?: number): Detection[];
  setThresholds(t: ThresholdSet): void;
  setAllowList(a: AllowEntry[]): void;
}

export type EngineFactory = (o: EngineOptions) => DetectionRunner;
export const defaultEngine: EngineFactory = (o) => new DetectionEngine(o);
