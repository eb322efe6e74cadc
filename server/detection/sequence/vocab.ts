// The states a sequence walks through: an endpoint of a destination service with the coarse
// outcome of the call. Interned to small integers so the model and the sessions hold numbers,
// not strings; bounded, because endpoints of unknown paths (scanners) are attacker-chosen.

import { isRefused } from '../refused';

/** How a call ended, as far as the client's behaviour goes: server failures are not the client's doing. */
export const Outcome = {
  Ok: 0,
  /** 401 or 423: no valid credentials, or locked out after misses */
  Unauthenticated: 1,
  /** 403: authenticated, not allowed */
  Forbidden: 2,
  /** any other 4xx: a bad request, a missing object, a declined payment */
  Failed: 3,
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];
export const OUTCOMES = 4;
const OUTCOME_LABEL = ['', ' (401)', ' (403)', ' (4xx)'];

export function outcomeOf(status: number): Outcome {
  if (isRefused(status)) return Outcome.Unauthenticated;
  if (status === 403) return Outcome.Forbidden;
  if (status >= 400 && status < 500) return Outcome.Failed;
  return Outcome.Ok;
}

/** The endpoint state (outcome Ok) of a state: endpoints take OUTCOMES consecutive ids from 1 on. */
export const baseOf = (state: number) => (state <= 0 ? state : state - ((state - 1) % OUTCOMES));
export const outcomeOfState = (state: number) => (state <= 0 ? 0 : (state - 1) % OUTCOMES) as Outcome;

/** The state a session is in before its first request. */
export const START = 0;

/** A path parameter of a template: where it sits, and the literal text around it in its segment. */
export interface ParamSlot {
  segment: number;
  prefix: string;
  suffix: string;
}

export interface EndpointInfo {
  /** state id of the endpoint with outcome Ok; the other outcomes follow it */
  base: number;
  service: number;
  label: string;
  /** parameters whose values can be numbers (at most two: ids walked in order are judged per slot) */
  slots: ParamSlot[];
}

export interface VocabLimits {
  maxServices: number;
  maxEndpointsPerService: number;
  maxStates: number;
}

export const DEFAULT_VOCAB_LIMITS: VocabLimits = { maxServices: 2048, maxEndpointsPerService: 1024, maxStates: 60_000 };

const OTHER_ENDPOINT = '(other endpoints)';
const OTHER_SERVICE = '(other services)';

export function paramSlots(endpoint: string): ParamSlot[] {
  const space = endpoint.indexOf(' ');
  const path = space >= 0 ? endpoint.slice(space + 1) : endpoint;
  const slots: ParamSlot[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length && slots.length < 2; i++) {
    const seg = segments[i];
    const open = seg.indexOf('{');
    const close = seg.lastIndexOf('}');
    // one parameter per segment only: `{a}-{b}` cannot be split back into values
    if (open < 0 || close < open || seg.indexOf('{', open + 1) >= 0) continue;
    slots.push({ segment: i, prefix: seg.slice(0, open), suffix: seg.slice(close + 1) });
  }
  return slots;
}

// where slotBounds found a parameter's value: [paramFrom, paramTo)
let paramFrom = 0;
let paramTo = 0;

/** Finds a parameter's value in a concrete path (paramFrom, paramTo); false when the path does not fit the slot. */
function slotBounds(path: string, slot: ParamSlot): boolean {
  // the segment'th '/'-separated piece, found without splitting the path
  let start = 0;
  for (let k = 0; k < slot.segment; k++) {
    const slash = path.indexOf('/', start);
    if (slash < 0) return false;
    start = slash + 1;
  }
  let end = path.indexOf('/', start);
  if (end < 0) end = path.length;
  paramFrom = start + slot.prefix.length;
  paramTo = end - slot.suffix.length;
  return paramTo > paramFrom && path.startsWith(slot.prefix, start) && path.startsWith(slot.suffix, paramTo);
}

/** A 32-bit hash of a parameter's value in a concrete path (any characters), or 0 when it has none. */
export function paramHash(path: string, slot: ParamSlot): number {
  if (!slotBounds(path, slot)) return 0;
  let h = 0x811c9dc5;
  for (let i = paramFrom; i < paramTo; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h === 0 ? 1 : h | 0;
}

/** The numeric value of a parameter in a concrete path, or -1 when it is not a plain number. */
export function numericParam(path: string, slot: ParamSlot): number {
  if (!slotBounds(path, slot)) return -1;
  const from = paramFrom;
  const to = paramTo;
  if (to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = path.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

interface ServiceVocab {
  index: number;
  name: string;
  endpoints: Map<string, EndpointInfo>;
  other: EndpointInfo | null;
}

export class Vocab {
  private readonly services = new Map<string, ServiceVocab>();
  private readonly serviceNames: string[] = [];
  private readonly serviceSizes: number[] = [];
  /** per state id: its endpoint (for labels and the service it belongs to) */
  private readonly byState: (EndpointInfo | null)[] = [null];
  private overflow: ServiceVocab | null = null;

  constructor(private readonly limits: VocabLimits = DEFAULT_VOCAB_LIMITS) {}

  get size(): number {
    return this.byState.length;
  }

  serviceName(index: number): string {
    return this.serviceNames[index];
  }

  get serviceCount(): number {
    return this.serviceNames.length;
  }

  /** endpoints known in a service */
  endpointsIn(service: number): number {
    return this.serviceSizes[service] ?? 0;
  }

  endpoint(service: string, endpoint: string): EndpointInfo {
    const sv = this.service(service);
    const known = sv.endpoints.get(endpoint);
    if (known) return known;
    if (sv.endpoints.size >= this.limits.maxEndpointsPerService || this.byState.length + OUTCOMES > this.limits.maxStates) {
      return (sv.other ??= this.add(sv, OTHER_ENDPOINT, []));
    }
    const info = this.add(sv, endpoint, paramSlots(endpoint));
    sv.endpoints.set(endpoint, info);
    return info;
  }

  state(info: EndpointInfo, status: number): number {
    return info.base + outcomeOf(status);
  }

  info(state: number): EndpointInfo | null {
    return this.byState[state] ?? null;
  }

  serviceOf(state: number): number {
    return this.byState[state]?.service ?? -1;
  }

  label(state: number): string {
    if (state === START) return '(session start)';
    const info = this.byState[state];
    if (!info) return '(unknown)';
    return `${this.serviceNames[info.service]} ${info.label}${OUTCOME_LABEL[state - info.base]}`;
  }

  private service(name: string): ServiceVocab {
    let sv = this.services.get(name);
    if (sv) return sv;
    if (this.services.size >= this.limits.maxServices) return (this.overflow ??= this.newService(OTHER_SERVICE));
    sv = this.newService(name);
    this.services.set(name, sv);
    return sv;
  }

  private newService(name: string): ServiceVocab {
    const sv: ServiceVocab = { index: this.serviceNames.length, name, endpoints: new Map(), other: null };
    this.serviceNames.push(name);
    return sv;
  }

  private add(sv: ServiceVocab, label: string, slots: ParamSlot[]): EndpointInfo {
    const info: EndpointInfo = { base: this.byState.length, service: sv.index, label, slots };
    this.serviceSizes[sv.index] = (this.serviceSizes[sv.index] ?? 0) + 1;
    for (let i = 0; i < OUTCOMES; i++) this.byState.push(info);
    return info;
  }
}
