// The streaming, incremental API-discovery learner: feed it access events (or NDJSON lines) in
// any number of batches, ask for endpoints at any time. The console and the `discover` CLI
// share this code.
import type { Observation } from './endpoint-stats';
import { templatesOf, type Endpoint } from './merge-tree';
import { parseAccessLine } from './ndjson-fields';
import { normalizePath, plainQuery } from './path-normalize';
import { DEFAULT_CHILD_CAP, insertPath, insertRawPath, PathNode } from './path-tree';

export type { Observation };

const NO_STRINGS: string[] = [];

export interface LearnerOptions {
  /** literal children tracked per tree position before the rest fold into a parameter */
  childCap?: number;
}

/** `GET` stays as it is; only a method in other case pays for a new string. */
function upperMethod(m: string): string {
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c < 65 || c > 90) return m.toUpperCase();
  }
  return m;
}

export class DiscoveryLearner {
  private trees = new Map<string, PathNode>();
  private cap: number;
  /** the service of the previous observation and its tree: runs of one service skip the map */
  private lastService = '';
  private lastRoot: PathNode | null = null;
  /** lines skipped because they were not observations */
  rejected = 0;
  /** observations skipped because their decoded path held control characters */
  unsafe = 0;

  constructor(options: LearnerOptions = {}) {
    this.cap = options.childCap ?? DEFAULT_CHILD_CAP;
  }

  observe(o: Observation): void {
    // A 404 answers a path the service does not route: scanners and typos, not an API.
    if (o.status === 404) return;
    const raw = o.path;
    // Most paths hold no escape and no fragment: their segments are the text between slashes
    // as it is, up to the query (and nothing in them can decode to a control character).
    if (raw.indexOf('%') === -1 && raw.indexOf('#') === -1) {
      const q = raw.indexOf('?');
      if (q === -1) {
        insertRawPath(this.rootOf(o.service), raw, raw.length, upperMethod(o.method), o, NO_STRINGS, NO_STRINGS, this.cap);
      } else {
        const { queryKeys, queryValues } = plainQuery(raw.slice(q + 1));
        insertRawPath(this.rootOf(o.service), raw, q, upperMethod(o.method), o, queryKeys, queryValues, this.cap);
      }
      return;
    }
    const p = normalizePath(raw);
    // a decoded NUL or control character would end up in a stored template (events stored
    // before ingest refused them are still replayed at start): not an endpoint to learn
    if (p.unsafe) {
      this.unsafe++;
      return;
    }
    insertPath(this.rootOf(o.service), p.segments, upperMethod(o.method), o, p.queryKeys, p.queryValues, this.cap);
  }

  private rootOf(service: string): PathNode {
    if (this.lastRoot !== null && service === this.lastService) return this.lastRoot;
    let root = this.trees.get(service);
    if (!root) {
      root = new PathNode();
      this.trees.set(service, root);
    }
    this.lastService = service;
    this.lastRoot = root;
    return root;
  }

  /** One NDJSON line `{"service","method","path","status"}`; extra fields are ignored. */
  observeLine(line: string): void {
    if (line.length === 0) return;
    const o = parseAccessLine(line);
    if (o) this.observe(o);
    else this.rejected++;
  }

  /** The services seen so far. */
  services(): string[] {
    return [...this.trees.keys()];
  }

  /** The endpoints of one service (the clustering runs for that service only). */
  endpointsOf(service: string): Endpoint[] {
    const root = this.trees.get(service);
    return root ? templatesOf(service, root) : [];
  }

  endpoints(): Endpoint[] {
    const out: Endpoint[] = [];
    for (const [service, root] of this.trees) out.push(...templatesOf(service, root));
    return out;
  }
}

export function learn(lines: Iterable<string>, options?: LearnerOptions): Endpoint[] {
  const l = new DiscoveryLearner(options);
  for (const line of lines) l.observeLine(line);
  return l.endpoints();
}
