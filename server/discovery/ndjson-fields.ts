// Reads the four fields the learner needs from one NDJSON access line without building the
// whole object: the hot path of `discover` and of the console's learner. Anything unusual
// (escapes, spacing, a key seen twice, non-string values) falls back to JSON.parse.

export interface AccessFields {
  service: string;
  method: string;
  path: string;
  status?: number;
}

function stringField(line: string, key: string): string | null | undefined {
  const at = line.indexOf(key);
  if (at === -1) return undefined;
  if (line.indexOf(key, at + key.length) !== -1) return null;
  const start = at + key.length;
  const end = line.indexOf('"', start);
  return end === -1 ? null : line.slice(start, end);
}

function fastFields(line: string): AccessFields | null | undefined {
  if (line.indexOf('\\') !== -1) return undefined;
  const service = stringField(line, '"service":"');
  const method = stringField(line, '"method":"');
  const path = stringField(line, '"path":"');
  if (service === null || method === null || path === null) return undefined;
  if (service === undefined || method === undefined || path === undefined) return undefined;
  const s = line.indexOf('"status":');
  let status: number | undefined;
  if (s !== -1) {
    let i = s + 9;
    let n = 0;
    let digits = 0;
    for (; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      digits++;
    }
    const next = line.charCodeAt(i);
    if (digits === 0 || (next !== 44 && next !== 125)) return undefined; // not `…,` or `…}`
    status = n;
  }
  return { service, method, path, status };
}

const SERVICE = '{"service":"';
const METHOD = '","method":"';
const PATH = '","path":"';
const STATUS = '","status":';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/** The method between `from` and `to`: one of the shared constants when it is a common one. */
function methodName(line: string, from: number, to: number): string {
  for (const m of METHODS) if (m.length === to - from && line.startsWith(m, from)) return m;
  return line.slice(from, to);
}

/**
 * The common line, as the bench, `discover` and Envoy-style shippers write it: the fields in
 * this order, then `}`. One pass with no searching; undefined for anything else.
 */
function canonicalFields(line: string): AccessFields | undefined {
  if (!line.startsWith(SERVICE)) return undefined;
  const s1 = line.indexOf('"', SERVICE.length);
  if (s1 === -1 || !line.startsWith(METHOD, s1)) return undefined;
  const m0 = s1 + METHOD.length;
  const m1 = line.indexOf('"', m0);
  if (m1 === -1 || !line.startsWith(PATH, m1)) return undefined;
  const p0 = m1 + PATH.length;
  const p1 = line.indexOf('"', p0);
  if (p1 === -1) return undefined;
  let i = p1 + 1;
  let status: number | undefined;
  if (line.startsWith(STATUS, p1)) {
    i = p1 + STATUS.length;
    let n = 0;
    const d0 = i;
    for (; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    if (i === d0) return undefined;
    status = n;
  }
  // only the closing brace may follow; more fields could repeat a key or hide an escape
  if (i !== line.length - 1 || line.charCodeAt(i) !== 125) return undefined;
  // an escape anywhere in the three values needs the real parser
  const b = line.indexOf('\\', SERVICE.length);
  if (b !== -1 && b < p1) return undefined;
  return { service: line.slice(SERVICE.length, s1), method: methodName(line, m0, m1), path: line.slice(p0, p1), status };
}

/** The fields of one line, or null when the line is not an access observation. */
export function parseAccessLine(line: string): AccessFields | null {
  const fast = canonicalFields(line) ?? fastFields(line);
  if (fast) return fast;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  const o = v as Partial<AccessFields> | null;
  if (!o || typeof o !== 'object' || typeof o.service !== 'string' || typeof o.method !== 'string' || typeof o.path !== 'string') return null;
  return { service: o.service, method: o.method, path: o.path, status: typeof o.status === 'number' ? o.status : undefined };
}
