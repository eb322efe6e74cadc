// The work of `npm run --silent classify` (scripts/classify.ts): JSON lines in, one result line out
// per input line. Node-side (reads files); the engine it calls is the njs-compatible core.
// Nothing a body contains is ever echoed: bad lines are reported by number and field name only.
import { readLines, LINE_TOO_LONG, openInput } from '@/server/detection/cli-lines';
import { createScanner } from './scanner';
import type { CompiledCustomClass, ScanResult } from './types';

export const DEFAULT_CLI_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Bodies are fed to the engine in pieces of this many characters, as a proxy would. */
const FEED = 64 * 1024;

export interface CliMatch {
  class: string;
  count: number;
  path: string | null;
  /** set on the entry that counts matches at paths beyond the per-class limit */
  other_paths?: true;
}

export interface CliStats {
  lines: number;
  classified: number;
  skipped: number;
}

/** One output entry per class × path. */
export function cliMatches(result: ScanResult): CliMatch[] {
  const out: CliMatch[] = [];
  for (const c of result.classes) {
    for (const p of c.paths) out.push({ class: c.class, count: p.count, path: p.path });
    if (c.otherPathsCount > 0) out.push({ class: c.class, count: c.otherPathsCount, path: null, other_paths: true });
  }
  return out;
}

/** The result line for one input line, or an error message (`line 3: …`) that names no value. */
export function classifyLine(text: string, lineNo: number, custom: CompiledCustomClass[]): { line: string } | { error: string } {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    // the parser's message quotes the input: never repeat it
    return { error: `line ${lineNo}: not valid JSON; expected {"id":"…","body":"…","content_type":"…"}` };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { error: `line ${lineNo}: expected a JSON object {"id","body","content_type"}` };
  const o = input as Record<string, unknown>;
  if (typeof o.id !== 'string' && typeof o.id !== 'number') return { error: `line ${lineNo}: "id" must be a string` };
  if (typeof o.body !== 'string') return { error: `line ${lineNo}: "body" must be a string (the request or response body as text)` };
  if (o.content_type !== undefined && o.content_type !== null && typeof o.content_type !== 'string') return { error: `line ${lineNo}: "content_type" must be a string` };
  if (o.direction !== undefined && o.direction !== 'request' && o.direction !== 'response') return { error: `line ${lineNo}: "direction" must be "request" or "response"` };
  const scanner = createScanner({ contentType: (o.content_type as string | undefined) ?? null, direction: (o.direction as 'request' | 'response' | undefined) ?? 'response', custom, samples: false });
  const body = o.body;
  if (body.length <= FEED) scanner.write(body);
  else for (let at = 0; at < body.length; at += FEED) scanner.write(body.slice(at, at + FEED));
  return { line: JSON.stringify({ id: o.id, matches: cliMatches(scanner.end()) }) };
}

/** Classifies every line of `chunks`; writes result lines and error messages through the callbacks. */
export async function classifyStream(
  chunks: AsyncIterable<Uint8Array | string>,
  out: (line: string) => void,
  err: (message: string) => void,
  options: { custom?: CompiledCustomClass[]; maxLineBytes?: number } = {},
): Promise<CliStats> {
  const decoder = new TextDecoder('utf-8');
  const stats: CliStats = { lines: 0, classified: 0, skipped: 0 };
  const max = options.maxLineBytes ?? DEFAULT_CLI_MAX_LINE_BYTES;
  for await (const line of readLines(chunks, max)) {
    stats.lines++;
    if (line === LINE_TOO_LONG) {
      stats.skipped++;
      err(`line ${stats.lines}: longer than ${max} bytes, skipped`);
      continue;
    }
    const r = classifyLine(decoder.decode(line), stats.lines, options.custom ?? []);
    if ('error' in r) {
      stats.skipped++;
      err(r.error);
    } else {
      stats.classified++;
      out(r.line);
    }
  }
  return stats;
}

export { openInput };
