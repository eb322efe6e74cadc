// What the learner keeps per (tree node, method) besides the template itself: calls, status
// mix, callers, first/last seen, query parameters, the JSON shape of sampled bodies and the
// sensitive fields the filters reported. Every part is bounded, and merges when templates do.
import type { SensitiveMatch } from '@/db/schema/access-events';
import { JsonShape } from './json-shape';
import { QueryStats } from './query-params';

/** callers tracked per endpoint; the rest count under `(other)` */
const MAX_CALLERS = 32;
/** sensitive (class, direction, path) triples tracked per endpoint */
const MAX_SENSITIVE = 64;
export const OTHER_CALLERS = '(other)';

/** What one request tells the learner; the CLI knows only the first four fields. */
export interface Observation {
  service: string;
  method: string;
  path: string;
  status?: number;
  /** the calling service (`external` for the internet) */
  caller?: string;
  /** epoch ms */
  ts?: number;
  sensitive?: SensitiveMatch[] | null;
  /** a sampled, already-redacted body (JSON text) */
  sample?: string | null;
}

export interface SensitiveField {
  class: string;
  direction: 'request' | 'response';
  /** JSON path as the filter reported it, or '' when it did not say */
  path: string;
  count: number;
}

const NO_CALLERS: Map<string, number> = new Map();
const NO_SENSITIVE: Map<string, SensitiveField> = new Map();

export class EndpointStats {
  count = 0;
  query = new QueryStats();
  /** requests per status class: index 0 = 1xx … 4 = 5xx */
  statusClasses = [0, 0, 0, 0, 0];
  callers = NO_CALLERS;
  firstSeen = 0;
  lastSeen = 0;
  /** shape of sampled response bodies, created with the first sample */
  shape: JsonShape | null = null;
  sensitive = NO_SENSITIVE;

  add(o: Observation, queryKeys: string[], queryValues: string[]): void {
    this.count++;
    if (queryKeys.length > 0) this.query.add(queryKeys, queryValues);
    const s = o.status;
    if (s !== undefined && s >= 100 && s < 600) this.statusClasses[((s / 100) | 0) - 1]++;
    // A refused call shows who tried, not who uses the endpoint: callers come from the others,
    // so a whitelist drawn from them never adds a caller a policy is already turning away.
    if (o.caller !== undefined && s !== 401 && s !== 403 && s !== 405) this.addCaller(o.caller, 1);
    if (o.ts !== undefined) {
      if (this.firstSeen === 0 || o.ts < this.firstSeen) this.firstSeen = o.ts;
      if (o.ts > this.lastSeen) this.lastSeen = o.ts;
    }
    if (o.sensitive) for (const m of o.sensitive) this.addSensitive(m.class, m.direction, m.path ?? '', m.count);
    if (o.sample) {
      this.shape ??= new JsonShape();
      this.shape.addText(o.sample);
    }
  }

  private addCaller(caller: string, n: number): void {
    if (this.callers === NO_CALLERS) this.callers = new Map();
    const key = this.callers.has(caller) || this.callers.size < MAX_CALLERS ? caller : OTHER_CALLERS;
    this.callers.set(key, (this.callers.get(key) ?? 0) + n);
  }

  private addSensitive(cls: string, direction: 'request' | 'response', path: string, count: number): void {
    const key = `${direction}\u0000${cls}\u0000${path}`;
    const cur = this.sensitive.get(key);
    if (cur) {
      cur.count += count;
      return;
    }
    if (this.sensitive.size >= MAX_SENSITIVE) return;
    if (this.sensitive === NO_SENSITIVE) this.sensitive = new Map();
    this.sensitive.set(key, { class: cls, direction, path, count });
  }

  mergeInto(t: EndpointStats): void {
    t.count += this.count;
    this.query.mergeInto(t.query);
    for (let i = 0; i < 5; i++) t.statusClasses[i] += this.statusClasses[i];
    for (const [c, n] of this.callers) t.addCaller(c, n);
    if (this.firstSeen !== 0 && (t.firstSeen === 0 || this.firstSeen < t.firstSeen)) t.firstSeen = this.firstSeen;
    if (this.lastSeen > t.lastSeen) t.lastSeen = this.lastSeen;
    if (this.shape) {
      t.shape ??= new JsonShape();
      this.shape.mergeInto(t.shape);
    }
    for (const f of this.sensitive.values()) t.addSensitive(f.class, f.direction, f.path, f.count);
  }
}
