import type { Db } from '@/db/client';
import { upsertDetection } from '@/server/detection/store';
import type { ActorRef, Detection } from '@/server/detection/types';

let seq = 0;

/**
 * A detection as the engine reports one, built directly (the tests of the console side do not
 * depend on what the engine finds): a brute force on `shop/login` by one address unless told.
 */
export function fakeDetection(over: Partial<Detection> = {}): Detection {
  seq++;
  const start = over.start ?? Date.now() - 20 * 60_000;
  const actors: ActorRef[] = over.actors ?? [{ type: 'ip', id: '203.0.113.7' }];
  return {
    id: `eng-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    kind: 'brute_force',
    service: 'shop/login',
    actors,
    start,
    end: start + 10 * 60_000,
    score: 80,
    severity: 'high',
    evidence: {
      features: [{ feature: 'error_ratio_401', window: '5m', value: 0.94, baseline: 0.02, deviation: 31, text: '94% of logins refused in 5 min, usually 2%' }],
      transitions: [{ from: 'POST /login', to: 'POST /login', probability: 0.01, count: 140 }],
      windows: ['5m', '30m'],
      examples: actors.slice(0, 3).map((a, i) => ({ requestId: `req-${seq}-${i}`, ts: start + i * 1000, method: 'POST', path: '/login', status: 401, actor: a })),
      timeline: Array.from({ length: 10 }, (_, i) => ({ t: start + i * 60_000, requests: 40 + i, errors: 38 + i })),
    },
    ...over,
  };
}

/** Stores `d` as the live service would, and returns the stored detection's id. */
export async function seedDetection(db: Db, over: Partial<Detection> = {}): Promise<{ id: string; detection: Detection }> {
  const detection = fakeDetection(over);
  await upsertDetection(db, detection, new Date());
  const { detectionEngineIds } = await import('@/db/schema/detections');
  const { eq } = await import('drizzle-orm');
  const [row] = await db.select({ id: detectionEngineIds.detectionId }).from(detectionEngineIds).where(eq(detectionEngineIds.engineId, detection.id));
  return { id: row.id, detection };
}
