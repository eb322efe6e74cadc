import { log } from '@/server/log';
import type { CheckpointPublisher } from './checkpoint';

/**
 * `GET /api/health?audit`: the newest published checkpoint of the audit chain, for a monitor
 * to keep and compare (a later head that does not extend it means entries were removed).
 * Public like the rest of /api/health: a MAC and a count reveal nothing an attacker can use.
 */
export async function auditHealth(publisher: CheckpointPublisher): Promise<Response> {
  try {
    const audit = publisher.latest ?? (await publisher.publish());
    return Response.json({ ok: !audit.problem, audit }, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'audit checkpoint unavailable');
    return Response.json({ ok: false, error: 'the audit log could not be read: retry later' }, { status: 503, headers: { 'retry-after': '5' } });
  }
}
