// How a fresh set of learned templates for one service changes the stored inventory, as a plan
// the store applies in one transaction. Review decisions survive: a reviewed or analyst-made
// endpoint is never replaced by the learner, only flagged `changed` when new evidence merges
// it into a wider template or splits a narrower one out of it. Unreviewed learned endpoints
// simply follow the evidence.
import type { EndpointState } from '@/lib/enums';
import { covers, parseTemplate, templateKey, type Segment } from './template';

export interface StoredRef {
  id: string;
  method: string;
  template: string;
  state: EndpointState;
  origin: 'learned' | 'manual';
}

export interface LearnedRef {
  method: string;
  template: string;
}

export interface Plan<L extends LearnedRef> {
  /** learned templates that are stored already (same key) */
  update: { id: string; learned: L }[];
  /** learned templates inside an analyst-made endpoint: their traffic counts for it */
  absorb: { id: string; learned: L }[];
  /** new endpoints, with the ids of the unreviewed endpoints they replace */
  create: { learned: L; replaces: string[] }[];
  /** unreviewed learned endpoints the evidence replaced (merged into a new one, or split) */
  remove: string[];
  /** reviewed endpoints whose traffic the new evidence regroups */
  flag: { id: string; reason: string }[];
}

interface S extends StoredRef {
  segs: Segment[];
  key: string;
}

const follows = (s: StoredRef) => s.origin === 'learned' && s.state === 'learned';

export function planReconcile<L extends LearnedRef>(stored: StoredRef[], learned: L[]): Plan<L> {
  const plan: Plan<L> = { update: [], absorb: [], create: [], remove: [], flag: [] };
  const byMethod = new Map<string, S[]>();
  for (const s of stored) {
    const list = byMethod.get(s.method) ?? [];
    list.push({ ...s, segs: parseTemplate(s.template), key: templateKey(s.template) });
    byMethod.set(s.method, list);
  }
  const removed = new Set<string>();
  const flagged = new Set<string>();
  const flag = (s: S, reason: string) => {
    if (flagged.has(s.id)) return;
    flagged.add(s.id);
    plan.flag.push({ id: s.id, reason });
  };
  const emittedKeys = new Set<string>();
  const fresh: { l: L; segs: Segment[] }[] = [];

  for (const l of learned) {
    const key = templateKey(l.template);
    emittedKeys.add(`${l.method} ${key}`);
    const list = byMethod.get(l.method) ?? [];
    const same = list.find((s) => s.key === key);
    if (same) {
      plan.update.push({ id: same.id, learned: l });
      continue;
    }
    const segs = parseTemplate(l.template);
    const manual = list.find((s) => s.origin === 'manual' && covers(s.segs, segs));
    if (manual) {
      plan.absorb.push({ id: manual.id, learned: l });
      continue;
    }
    fresh.push({ l, segs });
  }

  for (const { l, segs } of fresh) {
    const list = byMethod.get(l.method) ?? [];
    const replaces: string[] = [];
    for (const s of list) {
      if (removed.has(s.id)) continue;
      if (covers(segs, s.segs)) {
        // the new template is wider: evidence merges s into it
        if (follows(s) && !emittedKeys.has(`${s.method} ${s.key}`)) {
          replaces.push(s.id);
          removed.add(s.id);
        } else if (!follows(s)) {
          flag(s, `new evidence merges it into ${l.method} ${l.template}`);
        }
      } else if (covers(s.segs, segs) && !follows(s)) {
        flag(s, `new evidence splits ${l.method} ${l.template} out of it`);
      }
    }
    plan.create.push({ learned: l, replaces });
  }

  // An unreviewed endpoint the learner no longer emits, wider than templates it does emit,
  // was split by the evidence: the narrower ones replace it.
  for (const [method, list] of byMethod) {
    for (const s of list) {
      if (removed.has(s.id) || !follows(s) || emittedKeys.has(`${method} ${s.key}`)) continue;
      const narrower = learned.some((l) => l.method === method && covers(s.segs, parseTemplate(l.template)));
      if (narrower) removed.add(s.id);
    }
  }
  plan.remove = [...removed];
  return plan;
}
