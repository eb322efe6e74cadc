// Shadow impact of a draft classifier set: what its rules would have done to the traffic of a
// past range, read from the findings proxies reported (`meshward.sensitive`, rolled up per edge,
// class and direction). Bodies are never kept, so this is the evidence there is: every event
// that carried a class on an edge the rule covers. The set in force is measured the same way,
// so an admin sees the change before publishing.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import { num, rangeRows } from '@/server/traffic/rollup-query';
import { resolveRange } from '@/server/traffic/time-range';
import { describeRange, rangeOutput } from '@/server/traffic/view-range';
import { ACTION_RANK, ACTIONS, classifierSetSchema, ruleCovers, type ClassifierRule, type ClassifierSet } from './model';
import { applicableRules } from './try-set';
import { currentClassifiers } from './revisions';

export const IMPACT_RANGES = ['24h', '7d'] as const;
const TOP = 5;

export const impactInput = z.object({
  document: classifierSetSchema,
  range: z.enum(IMPACT_RANGES).default('24h'),
});
export type ImpactInput = z.output<typeof impactInput>;

const named = z.object({ name: z.string(), events: z.number() });
const ruleImpact = z.object({
  /** the rule's place in the draft (0-based) */
  index: z.number().int(),
  class: z.string(),
  direction: z.string(),
  action: z.enum(ACTIONS),
  /** events that carried the class on an edge the rule covers, callers excepted */
  events: z.number(),
  matches: z.number(),
  callers: z.array(named),
  callerCount: z.number().int(),
  services: z.array(named),
  serviceCount: z.number().int(),
  /** events the rule would have covered but for its excepted callers */
  exceptedEvents: z.number(),
  /** no proxy reported the class in the range at all (a class the fleet does not report yet has no history) */
  classUnreported: z.boolean(),
});
const actionTotals = z.object({ redact: z.number(), block: z.number(), report: z.number() });

export const impactOutput = z.object({
  range: rangeOutput,
  revision: z.number().int(),
  rules: z.array(ruleImpact),
  /** per action, events counted once per class they carried; block wins over redact over report */
  draft: actionTotals,
  current: actionTotals,
  /** events with a finding in the range, counted once per class */
  findings: z.number(),
});
export type ImpactResult = z.output<typeof impactOutput>;

export interface FindingRow {
  src: string;
  dst: string;
  dataClass: string;
  direction: 'request' | 'response';
  events: number;
  matches: number;
}

function covers(rule: ClassifierRule, row: FindingRow): boolean {
  return rule.class === row.dataClass && ruleCovers(rule, row.dst, row.direction);
}

/** The action a set takes on a row's events, or null when no rule applies. */
function actionOn(set: ClassifierSet, row: FindingRow): ClassifierRule['action'] | null {
  let top: ClassifierRule['action'] | null = null;
  for (const r of applicableRules(set, row.dst, row.src, row.direction)) {
    if (r.class !== row.dataClass) continue;
    if (top === null || ACTION_RANK[r.action] > ACTION_RANK[top]) top = r.action;
  }
  return top;
}

function totals(set: ClassifierSet, found: FindingRow[]): z.infer<typeof actionTotals> {
  const out = { redact: 0, block: 0, report: 0 };
  for (const row of found) {
    const action = actionOn(set, row);
    if (action !== null) out[action] += row.events;
  }
  return out;
}

function top(counts: Map<string, number>): { list: { name: string; events: number }[]; count: number } {
  const list = [...counts].map(([name, events]) => ({ name, events })).sort((a, b) => b.events - a.events || a.name.localeCompare(b.name));
  return { list: list.slice(0, TOP), count: list.length };
}

/** The impact of `draft` and of `current` on the findings of a range (pure: unit-tested without a database). */
export function measureImpact(draft: ClassifierSet, current: ClassifierSet, found: FindingRow[]): Omit<ImpactResult, 'range' | 'revision'> {
  const reported = new Set(found.map((f) => f.dataClass));
  const rules = draft.rules.map((rule, index) => {
    let events = 0;
    let matches = 0;
    let exceptedEvents = 0;
    const callers = new Map<string, number>();
    const services = new Map<string, number>();
    for (const row of found) {
      if (!covers(rule, row)) continue;
      if (rule.exceptCallers.includes(row.src)) {
        exceptedEvents += row.events;
        continue;
      }
      events += row.events;
      matches += row.matches;
      callers.set(row.src, (callers.get(row.src) ?? 0) + row.events);
      services.set(row.dst, (services.get(row.dst) ?? 0) + row.events);
    }
    const c = top(callers);
    const s = top(services);
    return {
      index, class: rule.class, direction: rule.direction, action: rule.action, events, matches,
      callers: c.list, callerCount: c.count, services: s.list, serviceCount: s.count,
      exceptedEvents, classUnreported: !reported.has(rule.class),
    };
  });
  return { rules, draft: totals(draft, found), current: totals(current, found), findings: found.reduce((n, f) => n + f.events, 0) };
}

export async function classifierImpact(ctx: Ctx, input: ImpactInput): Promise<ImpactResult> {
  const range = resolveRange({ preset: input.range }, ctx.now());
  const current = await currentClassifiers(ctx.db);
  // every class, not only the rules': the total of findings and unreported classes need them all
  const found = (await rows<Record<string, unknown>>(
    ctx.db,
    sql`select src_service, dst_service, data_class, direction, sum(events)::float8 as events, sum(matches)::float8 as matches
        from ${rangeRows('sensitiveEdge', range)}
        group by 1, 2, 3, 4`,
  )).map((r): FindingRow => ({
    src: String(r.src_service),
    dst: String(r.dst_service),
    dataClass: String(r.data_class),
    direction: r.direction === 'request' ? 'request' : 'response',
    events: num(r.events),
    matches: num(r.matches),
  }));
  return { range: describeRange(range), revision: current.revision, ...measureImpact(input.document, current.document, found) };
}
