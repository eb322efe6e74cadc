// Who is behind a token (issue 14 §3): the users, client addresses and user agents its requests
// carried, the services it reached, and when it was first and last seen in the range. Read from
// access_events (no rollup keeps users, addresses or agents), always bounded by the range and
// through the actor index. Every string here is telemetry, i.e. attacker-controlled: it is
// returned verbatim and the page renders it as text.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import { isServiceName } from '@/server/identity/names';
import { num } from './rollup-query';
import { resolveRange } from './time-range';
import { tokenInput } from './token-activity';
import { describeRange, rangeOutput } from './view-range';

export const tokenIdentityInput = tokenInput;
export type TokenIdentityInput = z.output<typeof tokenIdentityInput>;

/** the most values each list returns (the busiest first); `distinct` says how many there were */
export const IDENTITY_TOP = 20;
/** the most events one answer reads; beyond it the counts are over that many and `sampled` says so */
export const IDENTITY_MAX_EVENTS = 200_000;

const counted = z.object({ value: z.string(), requests: z.number() });
const countedList = z.object({
  items: z.array(counted),
  /** how many different values there were (items holds at most IDENTITY_TOP) */
  distinct: z.number(),
  /** requests that carried no value (no user, no address, no user agent) */
  missing: z.number(),
});
export type CountedList = z.infer<typeof countedList>;

export const tokenIdentityOutput = z.object({
  tokenId: z.string(),
  range: rangeOutput,
  /** requests counted */
  events: z.number(),
  /** the range held more than IDENTITY_MAX_EVENTS requests: the counts are over that many of them */
  sampled: z.boolean(),
  /** first and last request in the range (null: none) */
  firstSeen: z.date().nullable(),
  lastSeen: z.date().nullable(),
  users: countedList,
  addresses: countedList,
  userAgents: countedList,
  services: z.object({
    items: z.array(z.object({
      service: z.string(),
      requests: z.number(),
      lastSeen: z.date(),
      /** the name follows the identity grammar, so it can have a policy (and a deny entry) */
      policyName: z.boolean(),
    })),
    distinct: z.number(),
  }),
});
export type TokenIdentity = z.infer<typeof tokenIdentityOutput>;

/** One list of the answer: the busiest values of `column` in the scanned events, with counts. */
const topOf = (column: string) => sql.raw(`(select json_build_object(
    'items', coalesce((select json_agg(json_build_array(v, n) order by n desc, v) from (
      select ${column} as v, count(*) as n from ev where ${column} is not null group by 1 order by 2 desc, 1 limit ${IDENTITY_TOP}) t), '[]'::json),
    'distinct', (select count(distinct ${column}) from ev),
    'missing', (select count(*) from ev where ${column} is null)))`);

/**
 * What Meshward has seen for one token in the range. An unknown token, or one idle in the
 * range, gives empty lists and null times (the page says so), not an error.
 */
export async function tokenIdentity(ctx: Ctx, input: TokenIdentityInput, { maxEvents = IDENTITY_MAX_EVENTS } = {}): Promise<TokenIdentity> {
  const range = resolveRange(input.range, ctx.now());
  const id = input.tokenId;
  // The time bound prunes the day partitions; the actor key goes through the GIN index
  // access_events_actors (the same expression, see drizzle/0004_event_actors.sql).
  const [r] = await rows<Record<string, unknown>>(
    ctx.db,
    sql`with scan as materialized (
          select ts, user_id, host(client_ip) as client_address, user_agent, dst_service
          from access_events
          where ts >= ${range.from.toISOString()}::timestamptz and ts < ${range.to.toISOString()}::timestamptz
            and mw_event_actors(src_service, token_id, user_id, client_ip) @> array[${`t:${id}`}::text]
            and token_id = ${id}::text
          limit ${maxEvents + 1}),
        -- the one event past the cap only tells that there were more
        ev as materialized (select * from scan limit ${maxEvents})
        select
          (select count(*) from scan)::float8 as scanned,
          (select (extract(epoch from min(ts)) * 1000)::float8 from ev) as first_ms,
          (select (extract(epoch from max(ts)) * 1000)::float8 from ev) as last_ms,
          ${topOf('user_id')} as users,
          ${topOf('client_address')} as addresses,
          ${topOf('user_agent')} as user_agents,
          (select json_build_object(
            'items', coalesce((select json_agg(json_build_array(v, n, l) order by n desc, v) from (
              select dst_service as v, count(*) as n, (extract(epoch from max(ts)) * 1000)::float8 as l
              from ev group by 1 order by 2 desc, 1 limit ${IDENTITY_TOP}) t), '[]'::json),
            'distinct', (select count(distinct dst_service) from ev))) as services`,
  );
  const scanned = num(r?.scanned);
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(num(v)));
  const services = (r?.services ?? { items: [], distinct: 0 }) as { items: [string, unknown, unknown][]; distinct: unknown };
  return {
    tokenId: id,
    range: describeRange(range),
    events: Math.min(scanned, maxEvents),
    sampled: scanned > maxEvents,
    firstSeen: at(r?.first_ms),
    lastSeen: at(r?.last_ms),
    users: list(r?.users),
    addresses: list(r?.addresses),
    userAgents: list(r?.user_agents),
    services: {
      items: services.items.map(([service, n, last]) => ({
        service: String(service), requests: num(n), lastSeen: new Date(num(last)), policyName: isServiceName(String(service)),
      })),
      distinct: num(services.distinct),
    },
  };
}

function list(v: unknown): CountedList {
  const o = (v ?? { items: [], distinct: 0, missing: 0 }) as { items: [string, unknown][]; distinct: unknown; missing: unknown };
  return { items: o.items.map(([value, n]) => ({ value: String(value), requests: num(n) })), distinct: num(o.distinct), missing: num(o.missing) };
}
