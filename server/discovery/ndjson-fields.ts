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

/** The fields of one line, or null when the line is not an access observation. */
export function parseAccessLine(line: string): AccessFields | null {
  const fast = fastFields(line);
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
