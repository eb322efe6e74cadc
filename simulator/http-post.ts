// A lean HTTP POST over keep-alive connections: cheaper per request than fetch, so a benchmark
// client on the same machine takes less CPU away from the server it measures.
import { Agent, request } from 'node:http';

export interface PostResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

/** `chunked` sends the body without a content-length, as a streaming sender would. */
export function post(
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  agent?: Agent,
  chunked = false,
): Promise<PostResult> {
  const length = chunked ? {} : { 'content-length': String(body.byteLength) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, ...length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (chunked) req.write(body); // written before end(): Node then uses chunked transfer encoding
    req.end(chunked ? undefined : body);
  });
}
