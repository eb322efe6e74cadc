import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { accessEvents as ae } from '@/db/schema/access-events';
import { detectionActors as da } from '@/db/schema/detections';
import type { AddressMatch, Bound, Node, NumericField, Pattern, Query, TextField } from './ast';
import { fieldSpec } from './fields';
import { likePattern, literalText } from './like';
import { parse } from './parser';

/**
 * A parsed query as a condition on access_events, for a `where`. Every user value is a bound
 * parameter; the SQL text is built only from the constants in this file. Unknown values are
 * false: NOT is `is not true`, so `-token:x` keeps the events that have no token at all.
 * The caller adds the time range, which every query on access events must have.
 */
export function compile(query: Query): SQL {
  return query.root ? node(query.root) : sql`true`;
}

/** parse + compile; throws QueryError for a query the user must fix. */
export function compileQuery(text: string): SQL {
  return compile(parse(text));
}

const TEXT_COLUMNS: Record<TextField, AnyPgColumn> = {
  service: ae.dstService, caller: ae.srcService, method: ae.method, path: ae.path, endpoint: ae.route, token: ae.tokenId,
  user: ae.userId, user_agent: ae.userAgent, proxy: ae.proxyId, cluster: ae.cluster, namespace: ae.namespace,
};

// The casts type each parameter as its column, so no value is ever guessed at or coerced.
const NUMERIC: Record<NumericField, { column: AnyPgColumn; cast: SQL }> = {
  status: { column: ae.status, cast: sql`int` },
  bytes_out: { column: ae.bytesOut, cast: sql`bigint` },
  bytes_in: { column: ae.bytesIn, cast: sql`bigint` },
  duration: { column: ae.durationMs, cast: sql`float8` },
};

/**
 * The actor keys of an event, the expression of the GIN index access_events_actors: an
 * equality on caller, token, user or address goes through it (no btree indexes those columns).
 */
const ACTORS = sql`mw_event_actors(${ae.srcService}, ${ae.tokenId}, ${ae.userId}, ${ae.clientIp})`;
const ACTOR_PREFIX: Partial<Record<TextField, string>> = { caller: 's:', token: 't:', user: 'u:' };

function node(n: Node): SQL {
  switch (n.kind) {
    case 'and':
      return sql`(${sql.join(n.children.map(node), sql` and `)})`;
    case 'or':
      return sql`(${sql.join(n.children.map(node), sql` or `)})`;
    case 'not':
      return sql`((${node(n.child)}) is not true)`;
    case 'text': {
      const p = likePattern(n.pattern, true);
      return sql`(${ae.path} ilike ${p} escape '\\' or ${ae.userAgent} ilike ${p} escape '\\')`;
    }
    case 'match':
      return match(n.field, n.pattern);
    case 'numeric':
      return numeric(n.field, n.lo, n.hi);
    case 'address':
      return address(n.match);
    case 'class':
      return sql`${ae.sensitive} @> jsonb_build_array(jsonb_build_object('class', ${n.name}::text))`;
    case 'detection':
      return detection(n.id);
  }
}

function match(field: TextField, p: Pattern): SQL {
  const column = TEXT_COLUMNS[field];
  if (field === 'method') {
    // parsed in upper case; proxies report methods as sent, and `get` is the same request
    return p.wild ? sql`upper(${column}) like ${likePattern(p)} escape '\\'` : sql`upper(${column}) = ${literalText(p)}::text`;
  }
  if (fieldSpec(field).caseInsensitive) return sql`${column} ilike ${likePattern(p)} escape '\\'`;
  if (p.wild) return sql`${column} like ${likePattern(p)} escape '\\'`;
  const prefix = ACTOR_PREFIX[field];
  if (prefix) return sql`${ACTORS} @> array[${prefix + literalText(p)}::text]`;
  return sql`${column} = ${literalText(p)}::text`;
}

function numeric(field: NumericField, lo: Bound | null, hi: Bound | null): SQL {
  const { column, cast } = NUMERIC[field];
  if (lo && hi && lo.inclusive && hi.inclusive && lo.value === hi.value) return sql`${column} = ${lo.value}::${cast}`;
  const parts: SQL[] = [];
  if (lo) parts.push(lo.inclusive ? sql`${column} >= ${lo.value}::${cast}` : sql`${column} > ${lo.value}::${cast}`);
  if (hi) parts.push(hi.inclusive ? sql`${column} <= ${hi.value}::${cast}` : sql`${column} < ${hi.value}::${cast}`);
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` and `)})`;
}

function address(m: AddressMatch): SQL {
  switch (m.kind) {
    case 'exact':
      // host() writes the address as the index expression does (IPv6 compressed, lower case)
      return sql`${ACTORS} @> array['i:' || host(${m.address}::inet)]`;
    case 'cidr':
      return sql`${ae.clientIp} <<= ${m.block}::inet`;
    case 'range':
      return sql`${ae.clientIp} between ${m.from}::inet and ${m.to}::inet`;
  }
}

/**
 * Events of a detection's actors: its tokens, users, addresses and calling services through
 * the actor index, and its address groups (a /24 or /64) by containment. The regex admits only
 * the group shapes the detector writes, so the cast cannot fail on a row written otherwise.
 */
function detection(id: string): SQL {
  const keys = sql`array(select (case ${da.actorType} when 'token' then 't:' when 'user' then 'u:' when 'ip' then 'i:' else 's:' end) || ${da.actorId}
    from ${da} where ${da.detectionId} = ${id}::text and ${da.actorType} in ('token', 'user', 'ip', 'service'))`;
  const groups = sql`array(select ${da.actorId}::inet from ${da} where ${da.detectionId} = ${id}::text and ${da.actorType} = 'ip_group'
    and ${da.actorId} ~ ${sql.raw(`'${GROUP_SHAPE}'`)})`;
  return sql`(${ACTORS} && ${keys} or ${ae.clientIp} <<= any(${groups}))`;
}

const GROUP_SHAPE = String.raw`^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}0/24$|^([0-9a-f]{1,4}:){3}[0-9a-f]{1,4}::/64$`;
