// PCI DSS 6.4 / 11.x (attacks detected and stopped): the detections whose window overlaps the
// period, by kind, severity and triage state, and the mitigations put into policies.
import { sql } from 'drizzle-orm';
import { DETECTION_KINDS, SEVERITIES, TRIAGE_STATES } from '@/lib/enums';
import type { StoredMitigation } from '@/db/schema/detections';
import type { Ctx } from '@/server/context';
import { iso, num, QueryLog } from '../query-log';
import { isWholeFleet, serviceInScope } from '../scope';
import type { Cell, Section, SectionParams } from '../types';

export const NO_DETECTIONS_STATEMENT = 'No detection module data for this period.';
/** detections listed one by one in the bundle */
export const MAX_DETECTION_ROWS = 10_000;

interface Row {
  id: string; kind: string; service: string | null; start_at: unknown; end_at: unknown; score: number; severity: string; state: string;
  actor_count: number; mitigation: StoredMitigation | null; mitigation_state: string | null;
}

export async function attacksSection(ctx: Ctx, p: SectionParams): Promise<Section> {
  const q = new QueryLog(ctx.db);
  const from = p.from.toISOString();
  const to = p.to.toISOString();
  // detections naming no service belong to the whole fleet only
  const scope = isWholeFleet(p.scope) ? sql`true` : sql`(d.service is not null and ${serviceInScope(sql`d.service`, p.scope)})`;
  const found = await q.rows<Row>(
    'detections whose window overlaps the range, with the state of the policy revision a mitigation went into (detections, by_kind, mitigations)',
    sql`select d.id, d.kind, d.service, d.start_at, d.end_at, d.score, d.severity, d.state, d.actor_count, d.mitigation, pr.state as mitigation_state
        from detections d
        left join policy_revisions pr on pr.id = d.mitigation->>'policyId'
        where d.end_at >= ${from}::timestamptz and d.start_at < ${to}::timestamptz and ${scope}
        order by d.start_at, d.id
        limit ${MAX_DETECTION_ROWS}`,
  );

  const by = <K extends string>(keys: readonly K[], pick: (r: Row) => string) => {
    const m = Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;
    for (const r of found) m[pick(r)] = (m[pick(r)] ?? 0) + 1;
    return m;
  };
  const severities = by(SEVERITIES, (r) => r.severity);
  const states = by(TRIAGE_STATES, (r) => r.state);
  const kinds = by(DETECTION_KINDS, (r) => r.kind);
  const mitigated = found.filter((r) => r.mitigation);
  const enforcedMitigations = mitigated.filter((r) => r.mitigation_state === 'published');
  const actors = found.reduce((s, r) => s + num(r.actor_count), 0);

  const kindRows: Cell[][] = Object.entries(kinds).filter(([, n]) => n > 0).map(([kind]) => {
    const of = found.filter((r) => r.kind === kind);
    return [kind, of.length, ...SEVERITIES.map((s) => of.filter((r) => r.severity === s).length), of.filter((r) => r.mitigation).length];
  });
  const empty = found.length === 0;
  const figures: Record<string, number | string> = {
    detections: found.length,
    ...Object.fromEntries(SEVERITIES.map((s) => [`severity_${s}`, severities[s]])),
    ...Object.fromEntries(TRIAGE_STATES.map((s) => [`state_${s}`, states[s]])),
    actors,
    mitigations: mitigated.length,
    mitigations_published: enforcedMitigations.length,
  };
  if (empty) figures.detection_data = NO_DETECTIONS_STATEMENT;
  return {
    id: 'attacks',
    title: 'Attacks detected and mitigated',
    requirements: ['PCI DSS 6.4.1', 'PCI DSS 6.4.2', 'PCI DSS 11.5.1'],
    figures,
    labels: {
      detections: 'Detections in the period',
      ...Object.fromEntries(SEVERITIES.map((s) => [`severity_${s}`, `Severity ${s}`])),
      ...Object.fromEntries(TRIAGE_STATES.map((s) => [`state_${s}`, `Triage ${s.replace('_', ' ')}`])),
      actors: 'Actors named (summed over detections)',
      mitigations: 'Detections mitigated (deny entry drafted)',
      mitigations_published: 'Mitigations whose policy revision is published',
      detection_data: 'Detection data',
    },
    tables: [
      { name: 'by_kind', title: 'Detections by kind and severity', columns: ['kind', 'detections', ...SEVERITIES, 'mitigated'], rows: kindRows },
      {
        name: 'detections', title: 'Detections', columns: ['id', 'kind', 'service', 'start', 'end', 'score', 'severity', 'state', 'actors', 'mitigated'],
        rows: found.map((r) => [r.id, r.kind, r.service, iso(r.start_at), iso(r.end_at), Math.round(num(r.score)), r.severity, r.state, num(r.actor_count), r.mitigation ? 'yes' : 'no']),
      },
      {
        name: 'mitigations', title: 'Mitigations', columns: ['detection', 'service', 'deny kind', 'deny value', 'policy revision', 'revision state', 'expires', 'by', 'at'],
        rows: mitigated.map((r) => {
          const m = r.mitigation!;
          return [r.id, m.service, m.kind, m.value, m.revision, r.mitigation_state ?? 'gone', m.expiresAt, m.by, m.at];
        }),
      },
    ],
    charts: empty ? [] : [{ title: 'Detections per kind', points: kindRows.map((r) => ({ label: String(r[0]), value: Number(r[1]) })), legend: ['detections'] }],
    queries: q.texts,
    statement: empty
      ? `${NO_DETECTIONS_STATEMENT} No detection overlapping the period was stored for the services in scope: either nothing was detected or the detection module did not run (MESHWARD_DETECTION=off).`
      : `${found.length} detections overlapped the period (${SEVERITIES.slice().reverse().map((s) => `${severities[s]} ${s}`).join(', ')}), naming ${actors} actors. ` +
        `${states.resolved} were resolved, ${states.false_positive} marked false positive, ${states.acknowledged} acknowledged and ${states.open} still open. ` +
        `${mitigated.length} were mitigated by a deny entry drafted into the service's policy; ${enforcedMitigations.length} of those revisions are published.`,
    definitions: [
      'A detection is counted when its window (start to end) overlaps the period. Detections that name no service are counted only for a whole-fleet report.',
      'Mitigated: an analyst denied an actor of the detection, which drafted a policy revision with an expiring deny entry; it is enforced once that revision is published.',
      'Triage states are as of report generation.',
    ],
  };
}
