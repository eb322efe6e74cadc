// Turning what the sequence model holds about an actor into signals with evidence a person can
// check: every line names the measured value and what the population does.
import type { ActorRef, ActorSignal, FeatureEvidence, UnlikelyTransition } from '../types';
import type { ActorState, CrossingEvidence, SequenceEvidence } from './actor';
import { crossingStrength } from './audience';
import { kindLabel } from './client';
import { clamp01, combine, count, pct, seconds } from './format';
import { walkStrength, type WalkRun } from './id-walk';
import { BUCKET_LABEL, lengthBucket } from './population';
import type { Models } from './score';
import { tokenStrength, type TokenEvidence } from './token-clients';
import type { TokenPattern } from './token-rates';
import type { UnreadEvidence } from './unread-objects';

const line = (feature: string, value: number, baseline: number | null, text: string, deviation: number | null = null): FeatureEvidence => ({
  feature, window: null, value, baseline, deviation, text,
});

/** A crossing's weight, more when the new service refuses most of the actor's calls (it has no business there). */
export function crossingComponent(c: CrossingEvidence): number {
  const refusedShare = c.requests ? c.refused / c.requests : 0;
  return clamp01(combine(crossingStrength(c), crossingStrength(c) > 0 ? 0.4 * refusedShare : 0));
}

export function sequenceSignal(m: Models, a: ActorState, strength: number, unread: UnreadEvidence | null = null): ActorSignal | null {
  const seq = a.seq;
  const cross = a.crossing;
  if (!seq && !cross && !unread) return null;
  const evidence: FeatureEvidence[] = [];
  const transitions: UnlikelyTransition[] = [];
  const examples: string[] = [];
  let start = Infinity;
  let end = -Infinity;
  let service: string | null = null;
  const useSeq = seq && seq.strength > 0;
  const useCross = cross && crossingComponent(cross) > 0;
  if (useSeq) {
    sequenceLines(m, seq, evidence, transitions, examples);
    start = seq.start;
    end = seq.last;
    const top = seq.notes[0];
    if (top) service = m.vocab.serviceName(m.vocab.serviceOf(top.to));
  }
  if (useCross) {
    const from = m.vocab.serviceName(cross.from);
    const to = m.vocab.serviceName(cross.to);
    evidence.push(line('audience_crossing', cross.share, null,
      `first call to ${to} by a client that used ${from}: ${pct(cross.share)} of ${count(cross.fromClients)} ${from} clients also use ${to}` +
      (cross.requests ? `; ${cross.refused} of its ${cross.requests} calls there were refused` : '')));
    examples.push(cross.example);
    start = Math.min(start, cross.ts);
    end = Math.max(end, cross.last);
    if (!useSeq || crossingComponent(cross) > seq!.strength) service = to;
  }
  if (unread) {
    const { tally: t, population: pop } = unread;
    evidence.push(line('unread_objects', t.unread, pop.votes ? pop.unread / pop.votes : null,
      `${m.vocab.label(t.endpoint)} on ${t.unread} of ${t.calls} ids it had not opened before; ${count(pop.unread)} of ${count(pop.votes)} clients calling it did so ` +
      `(at most ${pct(pop.share)} by what was seen)`));
    examples.push(...t.examples);
    start = Math.min(start, t.start);
    end = Math.max(end, t.last);
    service ??= m.vocab.serviceName(m.vocab.serviceOf(t.endpoint));
  }
  if (!service) return null;
  return {
    actor: a.ref, service, kind: 'anomalous_sequence', strength, start, end, evidence, transitions,
    examples: [...new Set(examples)].slice(0, 5),
  };
}

function sequenceLines(m: Models, seq: SequenceEvidence, evidence: FeatureEvidence[], transitions: UnlikelyTransition[], examples: string[]) {
  const kind = kindLabel(seq.kind);
  const hist = m.population.excess(seq.kind, seq.steps);
  const usual = hist.quantile(0.99);
  const rare = seq.rare;
  evidence.push(line('sequence_surprise', round(seq.excess), round(usual),
    `${rare} unusual finding${rare === 1 ? '' : 's'} (steps ${kind} clients rarely take, repeats beyond the usual) (${round(seq.excess)} nats beyond usual steps); ` +
    `${kind} sessions of ${BUCKET_LABEL[lengthBucket(seq.steps)]} this unusual: ${pct(seq.tail)} (99 % stay under ${round(usual)})`));
  const perStep = m.population.perStep(seq.kind);
  const median = perStep.quantile(0.5);
  const ll = -seq.surprise / seq.steps;
  evidence.push(line('sequence_likelihood', round(ll), round(-median),
    `per-step log-likelihood ${round(ll)} over ${seq.steps} step${seq.steps === 1 ? '' : 's'}; ${kind} sessions: median ${round(-median)}`));
  for (const n of seq.notes.slice(0, 3)) {
    const from = m.vocab.label(n.from);
    const to = m.vocab.label(n.to);
    const seen = n.share === null || n.kindSupport < 1
      ? `no ${kind} client seen at that point yet`
      : `${pct(n.share)} of ${count(n.kindSupport)} ${kind} clients there do this`;
    const req = n.required;
    const back = req ? `; no ${m.vocab.label(req.from)} before it in the session, which ${pct(req.share)} of ${count(req.support)} clients reaching it came from` : '';
    const outcome = n.pOutcome < 0.01 ? `; this outcome there: ${pct(n.pOutcome)}` : '';
    evidence.push(line('unlikely_transition', n.p, n.share,
      `${to} after ${from}${n.count > 1 ? ` (${n.count}×)` : ''}: ${seen}${back}${outcome} (model: ${pct(n.p)})`));
  }
  for (const n of seq.notes) {
    transitions.push({ from: m.vocab.label(n.from), to: m.vocab.label(n.to), probability: n.p, count: n.count });
    examples.push(...n.examples.slice(0, 2));
  }
  for (const r of seq.repeats) {
    evidence.push(line('repeated_step', r.count, round(r.expected),
      `${m.vocab.label(r.state)} ${r.count} times in ${r.steps} steps; 90 % of ${count(r.sessions)} ${kind} sessions calling it do so at most once every ` +
      `${round(1 / r.usualRate)} steps (${round(r.expected)} expected here)`));
  }
  if (seq.clusterDistance !== null && seq.clusterTail !== null && seq.clusterTail < 0.01) {
    evidence.push(line('behaviour_distance', round(seq.clusterDistance), round(m.population.distance(seq.kind).quantile(0.5)),
      `nearest usual ${kind} behaviour is ${round(seq.clusterDistance)} away (cosine); ${pct(seq.clusterTail)} of ${kind} sessions are as far`));
  }
  const r = seq.refusals;
  if (r) {
    const svc = m.vocab.serviceName(r.service);
    evidence.push(line('refused_in_session', r.forbidden, r.rate * r.requests,
      `${r.forbidden} of ${r.requests} requests to ${svc} refused (403) on ${r.endpoints} endpoint${r.endpoints === 1 ? '' : 's'}; ` +
      `${svc} refuses ${pct(r.rate)} of its clients' requests (chance of this many: ${pct(Math.min(1, r.tail))})`));
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

export function tokenPattern(e: TokenEvidence): TokenPattern {
  return e.kindSwitches > 0 ? 'kind' : e.uaSwitches > 0 ? 'ua' : 'group';
}

const PATTERN_TEXT: Record<TokenPattern, string> = {
  kind: 'used by two kinds of client at once',
  ua: 'used by two User-Agents at once',
  group: 'used from two networks at once',
};

export function tokenSignal(m: Models, actor: ActorRef, e: TokenEvidence, self: number, service: string): ActorSignal {
  const pattern = tokenPattern(e);
  const factor = m.tokenRates.factor(pattern, self);
  const strength = tokenStrength(e) * factor;
  const share = m.tokenRates.share(pattern, self);
  const clients = e.clients
    .slice(0, 3)
    .map((c) => `${c.ua || '(no User-Agent)'} (${kindLabel(c.kind)}) from ${c.group || 'unknown network'}: ${c.requests} request${c.requests === 1 ? '' : 's'}`);
  const switches = pattern === 'group' ? e.groupSwitches : e.uaSwitches;
  return {
    actor, service, kind: 'token_misuse', strength, start: e.start, end: e.end,
    evidence: [
      line('token_clients', e.clients.length, 1,
        `token ${PATTERN_TEXT[pattern]}, switching ${switches} time${switches === 1 ? '' : 's'} within ${seconds(e.end - e.start)}: ${clients.join('; ')}`),
      line('token_clients_rate', share, null,
        `tokens here ${PATTERN_TEXT[pattern]}: ${pct(share)} of ${count(m.tokenRates.tokens)}`),
    ],
    examples: e.clients.map((c) => c.example).slice(0, 5),
  };
}

export function walkSignal(m: Models, a: ActorState, endpoint: number, run: WalkRun, self: number): ActorSignal {
  const use = m.endpointUse.walkersShare(endpoint, self);
  const strength = walkStrength(run, use.share);
  const label = m.vocab.label(endpoint);
  return {
    actor: a.ref, service: m.vocab.serviceName(m.vocab.serviceOf(endpoint)), kind: 'scraping', strength, start: run.start, end: run.end,
    evidence: [
      line('sequential_ids', run.length, null,
        `walked ${run.length} ids of ${label} in order (${run.firstId} → ${run.lastId}), one request every ${seconds(run.gapMeanMs)} (± ${Math.round(run.gapCv * 100)} %)`),
      line('sequential_ids_rate', use.share, null,
        `clients walking ${label} in order: ${count(use.walkers)} of ${count(use.clients)}`),
    ],
    examples: run.examples,
  };
}
