import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

/** Why a request body could not be read; mapped to 413 / 400 / 415 by the caller. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body, refusing it as soon as it passes `maxBytes` (compressed) or, once
 * gunzipped, `maxBytes * inflateRatio`, so neither a large upload nor a gzip bomb can
 * exhaust memory.
 */
export async function readBody(req: Request, maxBytes: number, inflateRatio = 8): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new BodyError(413, `body is ${declared} bytes; the limit is ${maxBytes}`);
  }
  const encoding = (req.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new BodyError(415, `content-encoding "${encoding.slice(0, 40)}" is not supported (use gzip or none)`);
  }
  const raw = await readCapped(req, maxBytes);
  if (encoding === 'identity') return raw;
  try {
    return new Uint8Array(await gunzipAsync(raw, { maxOutputLength: maxBytes * inflateRatio }));
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyError(413, `body inflates past the limit of ${maxBytes * inflateRatio} bytes`);
    }
    throw new BodyError(400, 'body is not valid gzip');
  }
}

async function readCapped(req: Request, maxBytes: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new BodyError(400, 'the request body was cut off');
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyError(413, `body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : new Uint8Array(Buffer.concat(chunks));
}
