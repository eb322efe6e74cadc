import { createHmac, timingSafeEqual } from 'node:crypto';
import { installedAuditKeyring } from '@/server/audit/keyring';
import { DomainError } from '@/server/errors';
import { MICRO_TS } from './event-key';
import type { ScopeInput } from './scope';

/**
 * Where the next page of a search starts: the (ts, id) of the last row shown. Opaque to the
 * client and MACed with the search it came from, so a cursor of another query or range, or one
 * edited by hand, is refused instead of silently starting elsewhere. `ts` is kept to the
 * microsecond as PostgreSQL stores it: a millisecond cursor would skip or repeat rows.
 */
export interface Position {
  /** `2026-01-15T12:00:00.123456Z` */
  ts: string;
  id: string;
}

const ID = /^\d{1,19}$/;
const FORMAT = /^v1\.(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\.(\d{1,19})\.([A-Za-z0-9_-]{22})$/;

/**
 * A key of its own derived from the audit key, which every replica shares (a cursor from one
 * answers on another). Rotating the audit key only sends open searches back to their first page.
 */
function mac(scope: ScopeInput, at: Position): string {
  const key = createHmac('sha256', installedAuditKeyring().current.key).update('meshward search cursor v1').digest();
  return createHmac('sha256', key)
    .update(JSON.stringify([scope.q, scope.from.toISOString(), scope.to.toISOString(), at.ts, at.id]))
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

export function encodeCursor(scope: ScopeInput, at: Position): string {
  if (!MICRO_TS.test(at.ts) || !ID.test(at.id)) throw new Error(`not a cursor position: ${at.ts} ${at.id}`);
  return Buffer.from(`v1.${at.ts}.${at.id}.${mac(scope, at)}`).toString('base64url');
}

export function decodeCursor(scope: ScopeInput, cursor: string): Position {
  const refused = () => new DomainError('BAD_REQUEST', 'The page cursor is not valid for this search: start again from the first page');
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refused();
  const text = Buffer.from(cursor, 'base64url').toString('latin1');
  // base64 decoding ignores stray trailing characters: only the one encoding we give out is a cursor
  if (Buffer.from(text, 'latin1').toString('base64url') !== cursor) throw refused();
  const m = FORMAT.exec(text);
  if (!m) throw refused();
  const at = { ts: m[1], id: m[2] };
  if (!timingSafeEqual(Buffer.from(m[3]), Buffer.from(mac(scope, at)))) throw refused();
  const t = Date.parse(at.ts);
  if (Number.isNaN(t) || t < scope.from.getTime() || t >= scope.to.getTime()) throw refused();
  return at;
}
