// What the console keeps of a detection the engine reports: allow-listed actors and actors
// suppressed as false positives are taken out, a detection of a suppressed rule (kind on a
// service) is dropped, and so is one scored below its service's alert level. The live service
// and the backtest both screen through here, so a backtest shows what the queue would have held.
import { AllowMatcher } from './allow-match';
import type { Detection, ThresholdSet, Thresholds } from './types';

export interface ActiveSuppression {
  scope: 'actor' | 'rule';
  kind: string;
  service: string | null;
  actorType: string | null;
  actorId: string | null;
}

export interface ScreenRules {
  thresholds: ThresholdSet;
  allow: AllowMatcher;
  suppressions: readonly ActiveSuppression[];
}

export function thresholdsFor(set: ThresholdSet, service: string | null): Thresholds {
  return (service !== null && set.services[service]) || set.global;
}

export type Screened = { kept: Detection } | { dropped: 'below_alert' | 'suppressed_rule' | 'no_actors_left' };

export function screenDetection(d: Detection, rules: ScreenRules): Screened {
  if (d.score < thresholdsFor(rules.thresholds, d.service).alert) return { dropped: 'below_alert' };
  const mine = rules.suppressions.filter((s) => s.kind === d.kind && s.service === d.service);
  if (mine.some((s) => s.scope === 'rule')) return { dropped: 'suppressed_rule' };
  const muted = new Set(mine.filter((s) => s.scope === 'actor').map((s) => `${s.actorType}\u0000${s.actorId}`));
  if (!muted.size && rules.allow.empty) return { kept: d };
  const actors = d.actors.filter((a) => !muted.has(`${a.type}\u0000${a.id}`) && !rules.allow.allows(a));
  if (actors.length === d.actors.length) return { kept: d };
  if (actors.length === 0) return { dropped: 'no_actors_left' };
  const names = new Set(actors.map((a) => `${a.type}\u0000${a.id}`));
  // examples of actors taken out would show them on the detection's page: they go too
  const examples = d.evidence.examples.filter((e) => names.has(`${e.actor.type}\u0000${e.actor.id}`));
  return { kept: { ...d, actors, evidence: { ...d.evidence, examples } } };
}
