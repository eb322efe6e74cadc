// Lines of a file of OTLP/JSON requests, read as bytes a chunk at a time: memory holds one chunk
// and the line being assembled, never the file. Used by the `detect` CLI and the detection
// benchmark (server/detection/cli-run.ts).
import { createReadStream } from 'node:fs';

/** A line longer than the limit: skipped whole (its bytes are not kept), and counted by the caller. */
export const LINE_TOO_LONG = Symbol('line too long');

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/** True for a line of nothing but blanks (spaces, tabs): not a request, not an error either. */
function blank(line: Uint8Array): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}

function joined(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts, total);
}

/**
 * The non-empty lines of a byte stream, without their `\n` or `\r\n`, as bytes (the OTLP parser
 * decodes UTF-8 itself, so a character split between chunks is whole again). A last line without
 * a newline counts; empty and blank lines are skipped; a line over `maxLineBytes` yields
 * `LINE_TOO_LONG` instead of its text.
 */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array | string>,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<Uint8Array | typeof LINE_TOO_LONG> {
  let parts: Uint8Array[] = [];
  let length = 0;
  let tooLong = false;
  const finish = (): Uint8Array | typeof LINE_TOO_LONG | null => {
    const line = tooLong ? LINE_TOO_LONG : joined(parts, length);
    parts = [];
    length = 0;
    tooLong = false;
    if (line === LINE_TOO_LONG) return line;
    const text = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
    return text.length === 0 || (text.length < 64 && blank(text)) ? null : text;
  };
  const take = (piece: Uint8Array) => {
    if (tooLong || piece.length === 0) return;
    if (length + piece.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    let at = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, at);
      if (nl < 0) {
        // the rest belongs to a line that goes on in the next chunk: copy it, the chunk may be reused
        if (at < chunk.length) take(Uint8Array.prototype.slice.call(chunk, at));
        break;
      }
      take(chunk.subarray(at, nl));
      const line = finish();
      if (line !== null) yield line;
      at = nl + 1;
    }
  }
  if (length > 0 || tooLong) {
    const line = finish();
    if (line !== null) yield line;
  }
}

/** The bytes of FILE, or of standard input for `-`, in chunks of about a megabyte. */
export function openInput(file: string): AsyncIterable<Uint8Array> {
  if (file === '-') return process.stdin;
  return createReadStream(file, { highWaterMark: 1 << 20 });
}
