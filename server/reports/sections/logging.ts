// PCI DSS 10.x (logging and monitoring): the audit trail's integrity, failed sign-ins, who read
// the access trail or the audit log, proxies that stopped reporting (10.7) and what is kept.
import { sql } from 'drizzle-orm';
import { verifyAuditChain } from '@/server/audit/verify';
import type { Ctx } from '@/server/context';
import { SILENT_AFTER_INTERVALS } from '@/server/fleet/proxies';
import { iso, num, QueryLog } from '../query-log';
import { isWholeFleet, serviceInScope } from '../scope';
import type { Cell, Section, SectionParams } from '../types';

/** Audit actions that read audit or telemetry data (PCI DSS 10.2.1.3, and reads of the access trail). */
export const DATA_ACCESS_ACTIONS = ['search.read', 'search.export', 'audit.read', 'audit.verify', 'report.download'] as const;
/** A stretch without stored events shorter than this (or than two heartbeat intervals) is not listed. */
export const MIN_GAP_S = 900;
/** audit entries listed one by one in the bundle */
export const MAX_ACCESS_ROWS = 10_000;
const PCI_RETENTION_DAYS = 365;

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  return `${m}m ${s % 60}s`;
}

const dataAccessList = sql`(${sql.join(DATA_ACCESS_ACTIONS.map((a) => sql`${a}`), sql`, `)})`;

export async function loggingSection(ctx: Ctx, p: SectionParams): Promise<Section> {
  const q = new QueryLog(ctx.db);
  const from = p.from.toISOString();
  const to = p.to.toISOString();
  const inRange = (col: string) => sql`${sql.identifier(col)} >= ${from}::timestamptz and ${sql.identifier(col)} < ${to}::timestamptz`;

  const chain = await verifyAuditChain(ctx);
  const [counts] = await q.rows<{ total: number; in_range: number; oldest: unknown }>(
    'audit entries: all (the chain verified), in the range, and the oldest (audit_entries, audit_entries_in_range)',
    sql`select count(*)::float8 as total, (count(*) filter (where ${inRange('ts')}))::float8 as in_range, min(ts) as oldest from audit_log`,
  );
  const failed = await q.rows<{ email: string; ip: string; reason: string; attempts: number; first: unknown; last: unknown }>(
    'failed sign-in attempts in the range by account, address and reason (failed_sign_ins)',
    sql`select email, ip, reason, count(*)::float8 as attempts, min(ts) as first, max(ts) as last
        from sign_in_attempts where not success and ${inRange('ts')}
        group by 1, 2, 3 order by 4 desc, 1, 2`,
  );
  const [backoffs] = await q.rows<{ n: number }>(
    'sign-in failures that started a throttle wait (sign_in_throttle_starts)',
    sql`select count(*)::float8 as n from audit_log where action = 'auth.sign_in_backoff' and ${inRange('ts')}`,
  );
  const access = await q.rows<{ action: string; actor_email: string | null; actor_role: string | null; n: number; first: unknown; last: unknown }>(
    'reads of the access trail, the audit log and report evidence, by person and action (data_access_reads)',
    sql`select action, actor_email, actor_role, count(*)::float8 as n, min(ts) as first, max(ts) as last
        from audit_log where action in ${dataAccessList} and ${inRange('ts')}
        group by 1, 2, 3 order by 4 desc, 1, 2`,
  );
  const accessEntries = await q.rows<{ id: number; ts: unknown; actor_email: string | null; actor_role: string | null; action: string; source_ip: string | null; after: string | null }>(
    'the same reads one by one (the evidence bundle lists them)',
    sql`select id, ts, actor_email, actor_role, action, source_ip, left(after::text, 500) as after
        from audit_log where action in ${dataAccessList} and ${inRange('ts')}
        order by id limit ${MAX_ACCESS_ROWS}`,
  );
  const proxyScope = isWholeFleet(p.scope) ? sql`true` : serviceInScope(sql`p.service`, p.scope);
  const silentAtEnd = await q.rows<{ id: string; service: string | null; cluster: string | null; interval_s: number; last_seen_at: unknown }>(
    `proxies silent at the end of the range: nothing heard for more than ${SILENT_AFTER_INTERVALS} heartbeat intervals (proxies_silent_at_end)`,
    sql`select p.id, p.service, p.cluster, p.interval_s, p.last_seen_at from proxies p
        where p.first_seen_at < ${to}::timestamptz
          and p.last_seen_at < ${to}::timestamptz - make_interval(secs => ${SILENT_AFTER_INTERVALS} * p.interval_s)
          and ${proxyScope}
        order by p.last_seen_at, p.id`,
  );
  const gaps = await q.rows<{ id: string; service: string | null; cluster: string | null; gap_from: unknown; gap_to: unknown }>(
    `stretches inside the range in which a proxy that reported before and after stored no access event, longer than ${MIN_GAP_S} s and two heartbeat intervals (telemetry_gaps)`,
    sql`select p.id, p.service, p.cluster, g.gap_from, g.gap_to from (
          select proxy_id, minute + interval '1 minute' as gap_from, lead(minute) over (partition by proxy_id order by minute) as gap_to
          from proxy_minute_stats
          where minute >= ${from}::timestamptz - interval '1 day' and minute < ${to}::timestamptz
        ) g join proxies p on p.id = g.proxy_id
        where g.gap_to is not null and g.gap_to > ${from}::timestamptz
          and g.gap_to - g.gap_from > make_interval(secs => greatest(${MIN_GAP_S}, ${SILENT_AFTER_INTERVALS} * p.interval_s))
          and ${proxyScope}
        order by g.gap_from, p.id`,
  );
  const [oldestEvent] = await q.rows<{ oldest: unknown }>(
    'the oldest access event still stored (oldest_event)',
    sql`select min(ts) as oldest from access_events`,
  );

  const toMs = p.to.getTime();
  const fromMs = p.from.getTime();
  const silences: { row: Cell[]; seconds: number }[] = [];
  for (const s of silentAtEnd) {
    const since = new Date(iso(s.last_seen_at)!).getTime();
    const inside = toMs - Math.max(fromMs, since);
    silences.push({ seconds: inside / 1000, row: [s.id, s.service, s.cluster, 'silent at the end of the period', iso(s.last_seen_at), null, Math.round(inside / 1000), formatDuration(inside / 1000), formatDuration((toMs - since) / 1000)] });
  }
  for (const g of gaps) {
    const a = Math.max(fromMs, new Date(iso(g.gap_from)!).getTime());
    const b = Math.min(toMs, new Date(iso(g.gap_to)!).getTime());
    const whole = (new Date(iso(g.gap_to)!).getTime() - new Date(iso(g.gap_from)!).getTime()) / 1000;
    silences.push({ seconds: (b - a) / 1000, row: [g.id, g.service, g.cluster, 'no access events stored', iso(g.gap_from), iso(g.gap_to), Math.round((b - a) / 1000), formatDuration((b - a) / 1000), formatDuration(whole)] });
  }
  const longest = silences.reduce((m, s) => Math.max(m, s.seconds), 0);
  const failedTotal = failed.reduce((s, f) => s + num(f.attempts), 0);
  const accessTotal = access.reduce((s, a) => s + num(a.n), 0);
  const oldest = iso(oldestEvent?.oldest);
  const chainText = chain.ok ? 'intact' : `BROKEN at entry ${chain.brokenAt}: ${chain.problem}`;
  const meetsRetention = p.retentionDays >= PCI_RETENTION_DAYS;

  const figures = {
    audit_chain: chainText,
    audit_entries: chain.checked,
    audit_entries_in_range: num(counts?.in_range),
    failed_sign_ins: failedTotal,
    failed_sign_in_accounts: new Set(failed.map((f) => f.email)).size,
    failed_sign_in_addresses: new Set(failed.map((f) => f.ip)).size,
    sign_in_throttle_starts: num(backoffs?.n),
    data_access_reads: accessTotal,
    data_access_people: new Set(access.map((a) => a.actor_email ?? '(system)')).size,
    proxies_silent_at_end: silentAtEnd.length,
    telemetry_gaps: gaps.length,
    longest_silence: formatDuration(longest),
    retention_days: p.retentionDays,
    oldest_event: oldest ?? 'none stored',
  };
  return {
    id: 'logging',
    title: 'Logging and monitoring: audit trail, sign-ins, log access, fleet reporting',
    requirements: ['PCI DSS 10.2.1', 'PCI DSS 10.2.1.3', 'PCI DSS 10.2.1.4', 'PCI DSS 10.3.2', 'PCI DSS 10.3.4', 'PCI DSS 10.5.1', 'PCI DSS 10.7.2'],
    figures,
    labels: {
      audit_chain: 'Audit trail hash chain',
      audit_entries: 'Audit entries verified (whole chain)',
      audit_entries_in_range: 'Audit entries written in the period',
      failed_sign_ins: 'Failed sign-in attempts',
      failed_sign_in_accounts: 'Accounts named in failed sign-ins',
      failed_sign_in_addresses: 'Source addresses of failed sign-ins',
      sign_in_throttle_starts: 'Failures that started a sign-in throttle wait',
      data_access_reads: 'Reads of access events, audit log or report evidence',
      data_access_people: 'People who made those reads',
      proxies_silent_at_end: 'Proxies silent at the end of the period',
      telemetry_gaps: 'Stretches with no events stored from a proxy',
      longest_silence: 'Longest silence inside the period',
      retention_days: 'Retention in force (days)',
      oldest_event: 'Oldest access event stored',
    },
    tables: [
      { name: 'failed_sign_ins', title: 'Failed sign-ins by account, address and reason', columns: ['account', 'address', 'reason', 'attempts', 'first', 'last'], rows: failed.map((f) => [f.email, f.ip, f.reason, num(f.attempts), iso(f.first), iso(f.last)]) },
      { name: 'data_access', title: 'Reads of the access trail, the audit log and report evidence', columns: ['action', 'person', 'role', 'reads', 'first', 'last'], rows: access.map((a) => [a.action, a.actor_email ?? '(system)', a.actor_role, num(a.n), iso(a.first), iso(a.last)]) },
      { name: 'data_access_entries', title: 'Those reads, entry by entry', columns: ['audit entry', 'time', 'person', 'role', 'action', 'source address', 'detail'], rows: accessEntries.map((e) => [num(e.id), iso(e.ts), e.actor_email, e.actor_role, e.action, e.source_ip, e.after]) },
      { name: 'silent_proxies', title: 'Proxies that went silent', columns: ['proxy', 'service', 'cluster', 'what', 'from', 'until', 'seconds in period', 'duration in period', 'whole silence'], rows: silences.sort((a, b) => b.seconds - a.seconds).map((s) => s.row) },
    ],
    charts: [],
    queries: [
      '-- audit_chain, audit_entries: server/audit/verify.ts reads every audit_log row in id order and checks each MAC, id and prev_hash link\nselect * from audit_log where id > $1 order by id limit 1000; -- repeated page by page',
      ...q.texts,
    ],
    statement:
      `The audit trail's hash chain was verified over all ${chain.checked} entries and is ${chain.ok ? 'intact' : `broken at entry ${chain.brokenAt} (${chain.problem})`}; ` +
      `${num(counts?.in_range)} entries were written in the period. There were ${failedTotal} failed sign-in attempts ` +
      `against ${figures.failed_sign_in_accounts} accounts from ${figures.failed_sign_in_addresses} addresses, and ${accessTotal} audited reads of access events, the audit log or report evidence by ${figures.data_access_people} people. ` +
      `${silentAtEnd.length} proxies were silent at the end of the period and ${gaps.length} stretches without stored events were found inside it. ` +
      `Events are kept ${p.retentionDays} days${meetsRetention ? '' : ' (less than the 12 months PCI DSS 10.5.1 asks for: keep these reports and evidence bundles, or raise MESHWARD_RETENTION_DAYS)'}; the oldest stored event is ${oldest ?? 'none'}.`,
    definitions: [
      'Audit trail: entries are HMAC-chained (each names the previous hash) and the table refuses UPDATE, DELETE and TRUNCATE; verification recomputes every MAC in order. Audit entries are global, not limited by the report scope.',
      `Failed sign-ins: checked password attempts that failed (unknown account, wrong password, disabled account) from sign_in_attempts; attempts refused while throttled are not checked and not counted there.`,
      `Silent at the end of the period: a proxy (of a service in scope) last heard from more than ${SILENT_AFTER_INTERVALS} heartbeat intervals before the end; its silence runs from its last contact. No access events stored: a stretch inside the period, longer than ${MIN_GAP_S / 60} minutes and two heartbeat intervals, between minutes in which the proxy stored events (a quiet service can show such stretches without a fault).`,
    ],
  };
}
