// Shadow impact: past traffic replayed through a revision before anyone publishes it. Every
// access event to the service in the window goes through the reference evaluator; what it
// would deny is grouped by caller, endpoint and reason, with counts and a few examples.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { Ctx } from '@/server/context';
import { PolicyMatcher, type DenyReason } from './evaluate';
import type { PolicyDocument } from './model';
import { findRevision } from './revisions';
import type { ShadowInput } from './schemas';

/** the most events one shadow run reads; beyond it the answer says it looked at a sample */
export const SHADOW_MAX_EVENTS = 2_000_000;
const PAGE = 20_000;
const MAX_GROUPS = 500;
const EXAMPLES = 3;

export interface ShadowEvent {
  ts: number;
  caller: string;
  method: string;
  path: string;
  route: string;
  status: number;
  tokenId: string | null;
  userId: string | null;
  clientIp: string | null;
  requestId: string;
}

export interface ShadowGroup {
  caller: string;
  method: string;
  route: string;
  reason: DenyReason;
  count: number;
  examples: { ts: Date; path: string; status: number; tokenId: string | null; clientIp: string | null; requestId: string }[];
}

/** Folds events into the impact tally; pure, so the benchmark and the tests share it with the console. */
export class ShadowTally {
  evaluated = 0;
  denied = 0;
  byReason: Record<DenyReason, number> = { not_whitelisted: 0, denied_actor: 0, ambiguous_path: 0 };
  private groups = new Map<string, ShadowGroup>();

  constructor(private readonly matcher: PolicyMatcher) {}

  add(e: ShadowEvent): void {
    this.evaluated++;
    const v = this.matcher.evaluate({ caller: e.caller, method: e.method, path: e.path, tokenId: e.tokenId, userId: e.userId, clientIp: e.clientIp });
    if (v.decision === 'allow') return;
    const reason = v.reason!;
    this.denied++;
    this.byReason[reason]++;
    const key = `${reason}\u0000${e.caller}\u0000${e.method}\u0000${e.route}`;
    let g = this.groups.get(key);
    if (!g) {
      g = { caller: e.caller, method: e.method, route: e.route, reason, count: 0, examples: [] };
      this.groups.set(key, g);
    }
    g.count++;
    if (g.examples.length < EXAMPLES) g.examples.push({ ts: new Date(e.ts), path: e.path, status: e.status, tokenId: e.tokenId, clientIp: e.clientIp, requestId: e.requestId });
  }

  result() {
    const groups = [...this.groups.values()].sort((a, b) => b.count - a.count || a.route.localeCompare(b.route));
    return {
      evaluated: this.evaluated,
      denied: this.denied,
      byReason: this.byReason,
      callers: new Set(groups.map((g) => g.caller)).size,
      groups: groups.slice(0, MAX_GROUPS),
      groupsTotal: groups.length,
    };
  }
}

interface Row {
  /** exact, for the page cursor */
  ts: string;
  ms: number;
  proxy_id: string;
  request_id: string;
  src_service: string;
  method: string;
  path: string;
  route: string;
  status: number;
  token_id: string | null;
  user_id: string | null;
  client_ip: string | null;
}

/** Replays the service's events in [from, to) through `doc`, oldest first, in pages. */
export async function replay(db: Db, doc: PolicyDocument, from: Date, to: Date, now: Date, pageSize = PAGE) {
  const tally = new ShadowTally(new PolicyMatcher(doc, now));
  let after: { ts: string; proxy: string; request: string } | null = null;
  let read = 0;
  while (read < SHADOW_MAX_EVENTS) {
    const cursor = after
      ? sql`and (ts, proxy_id, request_id) > (${after.ts}::timestamptz, ${after.proxy}, ${after.request})`
      : sql``;
    const page: Row[] = await rows<Row>(
      db,
      sql`select ts::text as ts, (extract(epoch from ts) * 1000)::float8 as ms, proxy_id, request_id, src_service, method, path, route, status, token_id, user_id, host(client_ip) as client_ip
          from access_events
          where dst_service = ${doc.service} and ts >= ${from.toISOString()}::timestamptz and ts < ${to.toISOString()}::timestamptz ${cursor}
          order by ts, proxy_id, request_id limit ${Math.min(pageSize, SHADOW_MAX_EVENTS - read)}`,
    );
    for (const r of page) {
      tally.add({
        ts: Number(r.ms), caller: r.src_service, method: r.method, path: r.path, route: r.route, status: r.status,
        tokenId: r.token_id, userId: r.user_id, clientIp: r.client_ip, requestId: r.request_id,
      });
    }
    read += page.length;
    if (page.length < pageSize) break;
    const last = page[page.length - 1];
    after = { ts: last.ts, proxy: last.proxy_id, request: last.request_id };
  }
  return { ...tally.result(), truncated: read >= SHADOW_MAX_EVENTS };
}

export async function shadowImpact(ctx: Ctx, input: ShadowInput) {
  const r = await findRevision(ctx.db, input.id);
  const to = ctx.now();
  const from = new Date(to.getTime() - input.hours * 3600_000);
  const started = performance.now();
  const result = await replay(ctx.db, r.document, from, to, to);
  return { revision: r.revision, sha256: r.sha256, from, to, ms: Math.round(performance.now() - started), ...result };
}
