// Test support: small synthetic APIs and their clients, written out as engine events, so the
// sequence model is tested on structures it has never seen (none of the simulator's names).
import type { ActorSignal, EngineEvent } from '../types';
import { SequenceAnalyzer, type SequenceOptions } from '../sequence';
import { lcg } from './test-support';

export const APP_UA = 'Ledgerly/3.2.1 (iPhone; iOS 17.5; Scale/3.00)';
export const APP_UA_NEW = 'Ledgerly/3.3.0 (iPhone; iOS 17.5; Scale/3.00)';
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const SCRIPT_UA = 'python-requests/2.31.0';

export interface Client {
  token: string | null;
  user: string | null;
  ip: string;
  ua: string;
  /** `external`, or the calling service for calls from inside the mesh */
  src?: string;
}

let seq = 0;

/** One request: `endpoint` is `service METHOD /template`; `{…}` in the template is filled from `ids` in order. */
export function request(c: Client, ts: number, endpoint: string, status = 200, ids: (string | number)[] = []): EngineEvent {
  const [service, method, template] = endpoint.split(' ');
  let k = 0;
  const path = template.replace(/\{[^}]+\}/g, () => String(ids[k++] ?? 'x1'));
  return {
    ts, requestId: `r${++seq}`, srcService: c.src ?? 'external', dstService: service, method, path, query: null, status,
    durationMs: 5, bytesIn: 0, bytesOut: 100, clientIp: c.ip, userAgent: c.ua, tokenId: c.token, userId: c.user, sensitive: null,
    endpoint: `${method} ${template}`,
  };
}

export interface Step {
  endpoint: string;
  status?: number;
  ids?: (string | number)[];
  /** pause before the next step, ms */
  gapMs?: number;
}

/** A session: the steps one after the other from `start`, with pauses. */
export function session(c: Client, start: number, steps: Step[]): EngineEvent[] {
  let t = start;
  return steps.map((s) => {
    const e = request(c, t, s.endpoint, s.status ?? 200, s.ids ?? []);
    t += s.gapMs ?? 4000;
    return e;
  });
}

/** A Markov workflow: state → [next state, weight][] ('exit' ends), each state an endpoint. */
export type Workflow = Record<string, { endpoint: string; next: [string, number][]; status?: (r: () => number) => number }>;

export function walk(flow: Workflow, startState: string, rand: () => number, max = 30): Step[] {
  const steps: Step[] = [];
  let state = startState;
  for (let i = 0; i < max && state !== 'exit'; i++) {
    const s = flow[state];
    steps.push({ endpoint: s.endpoint, status: s.status?.(rand) ?? 200, ids: [1000 + Math.floor(rand() * 50_000)], gapMs: 2000 + Math.floor(rand() * 20_000) });
    const total = s.next.reduce((a, [, w]) => a + w, 0);
    let x = rand() * total;
    state = 'exit';
    for (const [n, w] of s.next) {
      if ((x -= w) <= 0) {
        state = n;
        break;
      }
    }
  }
  return steps;
}

/** Clients numbered 0…n-1 of one kind: their own token, user, home address and User-Agent. */
export function clients(prefix: string, n: number, ua: string): Client[] {
  return Array.from({ length: n }, (_, i) => ({
    token: `${prefix}-tok-${i}`, user: `${prefix}-user-${i}`, ip: `81.${(i >> 8) & 255}.${i & 255}.7`, ua,
  }));
}

/**
 * Background traffic: each client runs a session of `flow` every `everyMs` on average over
 * [start, end), starting at `startState`.
 */
export function population(cs: Client[], flow: Workflow, startState: string | ((r: () => number) => string), start: number, end: number, everyMs: number, seed: number): EngineEvent[] {
  const rand = lcg(seed);
  const out: EngineEvent[] = [];
  for (const c of cs) {
    for (let t = start + rand() * everyMs; t < end; t += everyMs * (0.5 + rand())) {
      const s = typeof startState === 'string' ? startState : startState(rand);
      out.push(...session(c, Math.floor(t), walk(flow, s, rand)));
    }
  }
  return out;
}

/** Runs events (sorted by time) through a fresh analyzer, collecting every minute of event time. */
export function analyse(events: EngineEvent[], o: SequenceOptions = {}, latenessMs = 10 * 60_000): { analyzer: SequenceAnalyzer; signals: ActorSignal[] } {
  const analyzer = new SequenceAnalyzer(o);
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const signals: ActorSignal[] = [];
  let nextCollect = sorted.length ? sorted[0].ts + 60_000 : 0;
  for (const e of sorted) {
    analyzer.observe(e);
    if (e.ts >= nextCollect) {
      signals.push(...analyzer.collect(e.ts - latenessMs));
      nextCollect = e.ts + 60_000;
    }
  }
  signals.push(...analyzer.collect(Number.POSITIVE_INFINITY));
  return { analyzer, signals };
}

/** The strongest signal of a kind for an actor id (token or user), 0 if none; the latest of equally strong ones. */
export function strengthOf(signals: ActorSignal[], id: string, kind?: string): number {
  let best = 0;
  for (const s of signals) if (s.actor.id === id && (!kind || s.kind === kind) && s.strength > best) best = s.strength;
  return best;
}

export function signalOf(signals: ActorSignal[], id: string, kind: string): ActorSignal | undefined {
  let best: ActorSignal | undefined;
  for (const s of signals) if (s.actor.id === id && s.kind === kind && (!best || s.strength >= best.strength)) best = s;
  return best;
}
