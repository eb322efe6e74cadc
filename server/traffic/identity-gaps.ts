// Services whose telemetry names no caller. A stock Istio or Envoy log format leaves the peer
// certificate out: every request then comes from `external` (and often goes to `unknown`), and a
// whitelist learned from it would allow only callers from outside the mesh, or nothing. A
// front door (an ingress, a gateway) really is called from outside, but it forwards into the
// mesh, so it shows up as a caller of other services; a service the outside calls directly is
// called from public addresses. Neither is flagged: what is left is called by pods with no name.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import { EXTERNAL_SERVICE, UNKNOWN_SERVICE } from '@/server/identity/names';

export const IDENTITY_WINDOW_MS = 3600_000;
/** requests in the window before a service is judged */
export const MIN_REQUESTS = 100;
/** share of them with no caller */
export const NO_CALLER_SHARE = 0.95;
const SHOWN = 10;
const CANDIDATES = 30;
const SAMPLE = 500;
/** addresses pods are given (RFC 1918, IPv6 ULA) and loopback: a caller there is inside the cluster */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '127.0.0.0/8', '::1/128'];

export const identityGapsOutput = z.object({
  services: z.array(z.object({
    service: z.string(),
    requests: z.number(),
    /** requests that named no caller */
    noCaller: z.number(),
    /** proxies that report this service */
    proxies: z.array(z.string()),
  })),
  /** services flagged beyond the SHOWN listed */
  more: z.number(),
  /** requests in the window whose destination the proxy could not name */
  unknownDestination: z.number(),
});
export type IdentityGaps = z.infer<typeof identityGapsOutput>;

export async function identityGaps(ctx: Ctx): Promise<IdentityGaps> {
  const since = new Date(ctx.now().getTime() - IDENTITY_WINDOW_MS).toISOString();
  const flagged = await rows<{ dst: string; requests: number; no_caller: number }>(ctx.db, sql`
    with calls as (
      select dst_service, src_service, sum(requests)::float8 as n from edge_minute
      where bucket >= ${since}::timestamptz group by dst_service, src_service
    ), forwarding as (
      select distinct src_service from calls where src_service <> ${EXTERNAL_SERVICE}
    )
    select dst_service as dst, sum(n)::float8 as requests, coalesce(sum(n) filter (where src_service = ${EXTERNAL_SERVICE}), 0)::float8 as no_caller
    from calls
    where dst_service <> ${UNKNOWN_SERVICE} and dst_service not in (select src_service from forwarding)
    group by dst_service
    having sum(n) >= ${MIN_REQUESTS} and coalesce(sum(n) filter (where src_service = ${EXTERNAL_SERVICE}), 0) >= ${NO_CALLER_SHARE} * sum(n)
    order by sum(n) desc`);
  const [unknown] = await rows<{ n: number }>(ctx.db, sql`
    select coalesce(sum(requests), 0)::float8 as n from edge_minute where bucket >= ${since}::timestamptz and dst_service = ${UNKNOWN_SERVICE}`);
  // A service the outside really calls directly (static assets, a webhook receiver) is called
  // from public addresses; a sidecar whose log leaves out the peer certificate is called by pods,
  // from private ones. Judged on each candidate's latest requests in the window.
  const candidates = flagged.slice(0, CANDIDATES).map((f) => f.dst);
  const inside = candidates.length ? await rows<{ dst: string; with_address: number; private: number }>(ctx.db, sql`
    select d.svc as dst, count(e.client_ip)::int as with_address,
      count(*) filter (where ${sql.raw(PRIVATE.map((c) => `e.client_ip << '${c}'::inet`).join(' or '))})::int as private
    from jsonb_array_elements_text(${JSON.stringify(candidates)}::jsonb) as d(svc)
    cross join lateral (
      select client_ip from access_events where dst_service = d.svc and ts >= ${since}::timestamptz order by ts desc limit ${SAMPLE}
    ) e
    group by d.svc`) : [];
  const fromPods = new Set(inside.filter((r) => r.with_address === 0 || r.private >= 0.5 * r.with_address).map((r) => r.dst));
  const judged = flagged.filter((f) => fromPods.has(f.dst));
  const shown = judged.slice(0, SHOWN);
  const names = shown.map((f) => f.dst);
  const reporters = names.length
    ? await rows<{ id: string; service: string }>(ctx.db, sql`select id, service from proxies where service in (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) order by id limit 200`)
    : [];
  return {
    services: shown.map((f) => ({
      service: f.dst, requests: Number(f.requests), noCaller: Number(f.no_caller),
      proxies: reporters.filter((p) => p.service === f.dst).map((p) => p.id).slice(0, 5),
    })),
    more: judged.length - shown.length,
    unknownDestination: Number(unknown?.n ?? 0),
  };
}
