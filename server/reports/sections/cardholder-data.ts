// PCI DSS 3.x/4.x (account data, and its protection in transit): who sent and received card
// numbers, over which service-to-service flows, with which tokens, and whether the calls on
// those flows carried a SPIFFE identity over mTLS.
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '@/server/context';
import { EXTERNAL_SERVICE, UNKNOWN_SERVICE } from '@/server/identity/names';
import { rangeRows } from '@/server/traffic/rollup-query';
import { num, pct, QueryLog } from '../query-log';
import { isWholeFleet, serviceInScope } from '../scope';
import type { Cell, Section, SectionParams } from '../types';
import { rollupRange } from './range';

/** The sensitive-data class of card numbers (PAN), as proxies report it. */
export const CARD_CLASS = 'credit_card';

const classFilter = (classes: string[] | null, column: SQL) =>
  classes === null ? sql`true` : sql`${column} in (${sql.join(classes.map((c) => sql`${c}`), sql`, `)})`;

export async function cardholderDataSection(ctx: Ctx, p: SectionParams): Promise<Section> {
  const q = new QueryLog(ctx.db);
  const range = rollupRange(p.from, p.to);
  const classes = p.dataClasses;
  const edgeInScope = (src: SQL, dst: SQL) => sql`(${serviceInScope(src, p.scope)} or ${serviceInScope(dst, p.scope)})`;
  const classLabel = classes === null ? 'sensitive data' : classes.join(', ');

  const flows = await q.rows<{ src_service: string; dst_service: string; data_class: string; direction: string; matches: number; events: number }>(
    `matches and events per flow, class and direction (data_matches, data_events, flows, services_*)`,
    sql`select r.src_service, r.dst_service, r.data_class, r.direction, sum(r.matches)::float8 as matches, sum(r.events)::float8 as events
        from ${rangeRows('sensitiveEdge', range)}
        where ${classFilter(classes, sql`r.data_class`)} and ${edgeInScope(sql`r.src_service`, sql`r.dst_service`)}
        group by 1, 2, 3, 4 order by 5 desc, 1, 2`,
  );
  const edges = await q.rows<{ src_service: string; dst_service: string; requests: number; mtls: number }>(
    'all calls and mTLS calls on the flows that carried the data (flows_all_mtls, flows_partly_mtls, flows_without_mtls)',
    sql`select r.src_service, r.dst_service, sum(r.requests)::float8 as requests, sum(r.mtls)::float8 as mtls
        from ${rangeRows('edge', range)}
        where (r.src_service, r.dst_service) in (
          select src_service, dst_service from ${rangeRows('sensitiveEdge', range)}
          where ${classFilter(classes, sql`data_class`)})
          and ${edgeInScope(sql`r.src_service`, sql`r.dst_service`)}
        group by 1, 2`,
  );
  const tokenScope = isWholeFleet(p.scope)
    ? sql`true`
    // the inner `r` is token_edge's rows (rangeRows names its rows `r`)
    : sql`r.token_id in (select r.token_id from ${rangeRows('tokenEdge', range)} where ${edgeInScope(sql`r.src_service`, sql`r.dst_service`)})`;
  const tokens = await q.rows<{ token_id: string; data_class: string; direction: string; matches: number; events: number }>(
    'tokens whose requests or responses carried the data (tokens)',
    sql`select r.token_id, r.data_class, r.direction, sum(r.matches)::float8 as matches, sum(r.events)::float8 as events
        from ${rangeRows('sensitiveToken', range)}
        where ${classFilter(classes, sql`r.data_class`)} and ${tokenScope}
        group by 1, 2, 3 order by 4 desc, 1`,
  );

  const edgeStats = new Map(edges.map((e) => [`${e.src_service}\u0000${e.dst_service}`, { requests: num(e.requests), mtls: num(e.mtls) }]));
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  let matches = 0;
  let events = 0;
  const flowKeys = new Map<string, { src: string; dst: string; events: number }>();
  for (const f of flows) {
    const n = num(f.events);
    matches += num(f.matches);
    events += n;
    // a request carries the caller's data to the service; a response the service's to the caller
    const [from, to] = f.direction === 'response' ? [f.dst_service, f.src_service] : [f.src_service, f.dst_service];
    add(sent, from, n);
    add(received, to, n);
    const k = `${f.src_service}\u0000${f.dst_service}`;
    const fk = flowKeys.get(k) ?? { src: f.src_service, dst: f.dst_service, events: 0 };
    fk.events += n;
    flowKeys.set(k, fk);
  }
  const mtlsState = (s: { requests: number; mtls: number } | undefined) =>
    !s || s.requests === 0 ? 'no calls recorded' : s.mtls >= s.requests ? 'all mTLS' : s.mtls === 0 ? 'no mTLS' : 'partly mTLS';
  let allMtls = 0;
  let partly = 0;
  let none = 0;
  let eventsWithoutFullMtls = 0;
  for (const [k, f] of flowKeys) {
    const st = mtlsState(edgeStats.get(k));
    if (st === 'all mTLS') allMtls++;
    else {
      if (st === 'partly mTLS') partly++;
      else none++;
      eventsWithoutFullMtls += f.events;
    }
  }
  const named = (s: string) => s !== EXTERNAL_SERVICE && s !== UNKNOWN_SERVICE;
  const handling = [...new Set([...sent.keys(), ...received.keys()])].filter(named).sort();
  const identity = (s: string) => (s === EXTERNAL_SERVICE ? 'outside the mesh' : s.startsWith('spiffe://') ? 'SPIFFE id' : 'service name');

  const flowRows: Cell[][] = flows.map((f) => {
    const s = edgeStats.get(`${f.src_service}\u0000${f.dst_service}`);
    return [f.src_service, f.dst_service, f.data_class, f.direction, num(f.matches), num(f.events), s?.requests ?? 0, s?.mtls ?? 0, pct(s?.mtls ?? 0, s?.requests ?? 0), mtlsState(s), identity(f.src_service)];
  });
  const serviceRows: Cell[][] = [...new Set([...sent.keys(), ...received.keys()])].sort()
    .map((s) => [s, sent.get(s) ?? 0, received.get(s) ?? 0]);
  const tokenIds = new Set(tokens.map((t) => t.token_id));
  const figures = {
    data_matches: matches,
    data_events: events,
    services_handling: handling.length,
    services_sending: [...sent.keys()].filter(named).length,
    services_receiving: [...received.keys()].filter(named).length,
    flows: flowKeys.size,
    flows_all_mtls: allMtls,
    flows_partly_mtls: partly,
    flows_without_mtls: none,
    events_on_flows_not_all_mtls: eventsWithoutFullMtls,
    tokens: tokenIds.size,
  };
  return {
    id: 'cardholder_data',
    title: 'Cardholder data flows and service identity',
    requirements: ['PCI DSS 1.2.4', 'PCI DSS 3.2.1', 'PCI DSS 4.2.1', 'PCI DSS 12.5.2'],
    figures,
    labels: {
      data_matches: `Matches of ${classLabel}`,
      data_events: `Requests/responses carrying ${classLabel}`,
      services_handling: 'Services that sent or received it',
      services_sending: 'Services that sent it',
      services_receiving: 'Services that received it',
      flows: 'Flows (caller -> service) that carried it',
      flows_all_mtls: 'Flows whose every call used mTLS',
      flows_partly_mtls: 'Flows with some calls without mTLS',
      flows_without_mtls: 'Flows with no mTLS call',
      events_on_flows_not_all_mtls: 'Carrying requests/responses on flows not all mTLS',
      tokens: 'Tokens whose calls carried it',
    },
    tables: [
      { name: 'flows', title: `Flows that carried ${classLabel}`, columns: ['caller', 'service', 'class', 'direction', 'matches', 'events', 'calls on flow', 'mTLS calls', 'mTLS %', 'mTLS', 'caller identity'], rows: flowRows },
      { name: 'services', title: `Services that sent or received ${classLabel} (events)`, columns: ['service', 'sent', 'received'], rows: serviceRows },
      { name: 'tokens', title: `Tokens whose calls carried ${classLabel}`, columns: ['token', 'class', 'direction', 'matches', 'events'], rows: tokens.map((t) => [t.token_id, t.data_class, t.direction, num(t.matches), num(t.events)]) },
    ],
    charts: [],
    queries: q.texts,
    statement: events === 0
      ? `No ${classLabel} was seen in requests or responses of services in scope during the period.`
      : `${events} requests or responses carried ${classLabel} (${matches} matches) over ${flowKeys.size} flows between ${handling.length} services, ` +
        `with ${tokenIds.size} tokens. ${allMtls} of those flows used mTLS (a SPIFFE identity) for every call; ` +
        `${partly} used it for some calls and ${none} for none, together carrying ${eventsWithoutFullMtls} of the events.`,
    definitions: [
      `Counted from the sensitive-data rollups: a match is one value of the class found by a proxy's content filter; an event is one request or response carrying at least one. Raw values are never stored.`,
      'Sent/received: a request carries data from the caller to the service; a response from the service to the caller.',
      'A flow is in scope when its caller or its service is. Tokens are in scope when they called a service in scope in the period.',
      'mTLS: calls whose proxy saw a client certificate (peer SPIFFE URI SAN or subject), from the per-flow rollups over all calls of the flow in the period: the rollups do not split mTLS by data class, so "all mTLS" is exact and the others are upper bounds on card calls without mTLS. Calls whose proxy did not say count as not mTLS.',
    ],
  };
}
