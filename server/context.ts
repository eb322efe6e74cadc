import type { Db } from '@/db/client';
import type { Role } from '@/lib/enums';

/** The signed-in person a domain function acts for. */
export interface Actor {
  id: string;
  email: string;
  role: Role;
}

/**
 * What every domain function receives: the database, the clock, who is acting and
 * where the request came from (for the audit trail). Built by tRPC, route handlers,
 * the CLI and tests alike.
 */
export interface Ctx {
  db: Db;
  now: () => Date;
  actor: Actor | null;
  requestId: string;
  sourceIp: string | null;
}

/** A context for code that runs with no person behind it (start-up, CLI, jobs). */
export function systemCtx(db: Db, requestId = 'system', now: () => Date = () => new Date()): Ctx {
  return { db, now, actor: null, requestId, sourceIp: null };
}
