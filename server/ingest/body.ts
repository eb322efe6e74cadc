import { createGunzip } from 'node:zlib';

/** Why a request body could not be read; mapped to 413 / 400 / 415 by the caller. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** Where the bytes a body holds are counted (server/http/inflight.ts); charge throws when they do not fit. */
export interface BodyMeter {
  charge(bytes: number): void;
  resize(bytes: number): void;
}

const NO_METER: BodyMeter = { charge: () => undefined, resize: () => undefined };

/**
 * Reads a request body, refusing it as soon as it passes `maxBytes` (compressed) or, once
 * gunzipped, `maxBytes * inflateRatio`, so neither a large upload nor a gzip bomb can
 * exhaust memory. Every chunk is charged to `meter` as it arrives, so the bytes all
 * requests hold together stay bounded too; the compressed copy is given back once inflated.
 */
export async function readBody(req: Request, maxBytes: number, inflateRatio = 8, meter: BodyMeter = NO_METER): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new BodyError(413, `body is ${declared} bytes; the limit is ${maxBytes}`);
  }
  const encoding = (req.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new BodyError(415, `content-encoding "${encoding.slice(0, 40)}" is not supported (use gzip or none)`);
  }
  const raw = await readCapped(req, maxBytes, meter);
  if (encoding === 'identity') return raw;
  const inflated = await gunzipCapped(raw, maxBytes * inflateRatio, meter);
  meter.resize(inflated.byteLength);
  return inflated;
}

/** The chunks as one array; the copy is charged while both exist. */
function joined(chunks: Uint8Array[], size: number, meter: BodyMeter): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  meter.charge(size);
  return new Uint8Array(Buffer.concat(chunks, size));
}

async function readCapped(req: Request, maxBytes: number, meter: BodyMeter): Promise<Uint8Array> {
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
    try {
      meter.charge(value.byteLength);
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      throw e;
    }
    chunks.push(value);
  }
  const body = joined(chunks, size, meter);
  meter.resize(size);
  return body;
}

/** Inflates chunk by chunk, charging each, and stops at `limit` bytes of output. */
function gunzipCapped(raw: Uint8Array, limit: number, meter: BodyMeter): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      gunzip.destroy();
      reject(e);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.byteLength;
      if (size > limit) return fail(new BodyError(413, `body inflates past the limit of ${limit} bytes`));
      try {
        meter.charge(chunk.byteLength);
      } catch (e) {
        return fail(e as Error);
      }
      chunks.push(chunk);
    });
    gunzip.on('error', () => fail(new BodyError(400, 'body is not valid gzip')));
    gunzip.on('end', () => {
      if (failed) return;
      try {
        const out = joined(chunks, size, meter);
        resolve(out === chunks[0] ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : out);
      } catch (e) {
        reject(e as Error);
      }
    });
    gunzip.end(raw);
  });
}
