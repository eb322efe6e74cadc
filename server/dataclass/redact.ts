// Redaction for the proxy's redact action: the whole body with every matched value replaced by a
// mask of the same length. Masks replace raw characters one for one (a `\u0034` escape becomes six
// stars), and never touch quotes, backslashes or separators, so JSON stays valid JSON and a form
// body the same form.
import { BUILTIN_CLASSES, PASSWORD, PRIVATE_KEY } from './classes';
import { makeScanner } from './scanner';
import type { ScanOptions } from './types';

export interface RedactOptions extends ScanOptions {
  /** class names to redact (built-in or custom); default every class that runs */
  redactClasses?: string[];
}

export interface RedactResult {
  body: string;
  /** matches replaced, per class name */
  redacted: Record<string, number>;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The body with matched values masked; `redacted` counts what was replaced. */
export function redactBody(body: string, options?: RedactOptions): RedactResult {
  const opts = options || {};
  const custom = opts.custom || [];
  const names = BUILTIN_CLASSES.slice();
  for (let c = 0; c < custom.length; c++) names.push(custom[c].name);
  const wanted = opts.redactClasses;
  // raw offsets to mask, as [from, to) pairs
  const from: number[] = [];
  const to: number[] = [];
  // per range: the mask character ('*', or '0' then ' ' for a JSON number: `"n":0               `)
  const kind: number[] = [];
  const redacted: Record<string, number> = {};
  const scanner = makeScanner(
    { direction: opts.direction, contentType: opts.contentType, builtins: opts.builtins, custom: custom, samples: false, maxScanChars: body.length + 1 },
    {
      window: Infinity,
      onMatch: function (cls, start, end, value, rawMap, numeric) {
        const name = names[cls];
        if (wanted !== undefined && wanted.indexOf(name) < 0) return;
        redacted[name] = (redacted[name] || 0) + 1;
        let stop = end;
        if (cls === PRIVATE_KEY) {
          // the key material runs to the END line
          const e = value.indexOf('-----END', end);
          const close = e < 0 ? -1 : value.indexOf('-----', e + 8);
          if (close >= 0) stop = close + 5;
        }
        if (numeric) {
          // a number stays a number: 0 then blanks, which JSON allows after a value
          from.push(rawMap[start]);
          to.push(rawMap[stop]);
          kind.push(1);
          return;
        }
        for (let d = start; d < stop; d++) {
          const c = value.charCodeAt(d);
          const mask = cls === PASSWORD ? true : cls === PRIVATE_KEY ? !isBlank(c) && c !== 45 : isAlnum(c);
          if (!mask) continue;
          from.push(rawMap[d]);
          to.push(rawMap[d + 1]);
          kind.push(0);
        }
      },
    },
  );
  scanner.write(body);
  scanner.end();
  if (from.length === 0) return { body: body, redacted: redacted };
  // sort the ranges by start (they come value by value, in order, but a bearer token and its JWT overlap)
  const order: number[] = [];
  for (let k = 0; k < from.length; k++) order.push(k);
  order.sort(function (a, b) {
    return from[a] - from[b];
  });
  let out = '';
  let at = 0;
  for (let k = 0; k < order.length; k++) {
    const f = from[order[k]];
    const t = to[order[k]];
    if (t <= at) continue;
    const start = f < at ? at : f;
    out += body.slice(at, start);
    if (kind[order[k]] === 1) for (let x = start; x < t; x++) out += x === f ? '0' : ' ';
    else for (let x = start; x < t; x++) out += '*';
    at = t;
  }
  return { body: out + body.slice(at), redacted: redacted };
}

/** The body with the matched values of `classes` (default: all) masked, same length, still valid JSON. */
export function redact(body: string, classes?: string[], options?: ScanOptions): string {
  const opts: RedactOptions = {};
  if (options) {
    opts.direction = options.direction;
    opts.contentType = options.contentType;
    opts.builtins = options.builtins;
    opts.custom = options.custom;
  }
  if (classes !== undefined) opts.redactClasses = classes;
  return redactBody(body, opts).body;
}
