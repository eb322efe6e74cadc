import { describe, expect, it } from 'vitest';
import { clientIp, isSameOrigin, requestId } from './request-info';

const h = (o: Record<string, string>) => new Headers(o);

describe('same-origin check for mutations', () => {
  it('accepts the console’s own origin', () => {
    expect(isSameOrigin(h({ origin: 'http://localhost:3000', host: 'localhost:3000' }))).toBe(true);
    expect(isSameOrigin(h({ origin: 'https://soc.example', 'x-forwarded-host': 'soc.example', 'x-forwarded-proto': 'https', host: 'internal:3000' }))).toBe(true);
    expect(isSameOrigin(h({ origin: 'https://soc.example', 'sec-fetch-site': 'same-origin' }), 'https://soc.example/console')).toBe(true);
  });
  it('refuses other origins, missing origins and cross-site fetches', () => {
    expect(isSameOrigin(h({ origin: 'http://evil.example', host: 'localhost:3000' }))).toBe(false);
    expect(isSameOrigin(h({ host: 'localhost:3000' }))).toBe(false);
    expect(isSameOrigin(h({ origin: 'http://localhost:3000', host: 'localhost:3000', 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(isSameOrigin(h({ origin: 'http://localhost:3000', host: 'localhost:3000' }), 'https://soc.example')).toBe(false);
    expect(isSameOrigin(h({ origin: 'null', host: 'localhost:3000' }))).toBe(false);
  });
});

describe('request metadata', () => {
  it('takes the client address only from the header the server sets', () => {
    expect(clientIp(h({ 'x-meshward-client-ip': '203.0.113.5', 'x-forwarded-for': '1.1.1.1' }))).toBe('203.0.113.5');
    expect(clientIp(h({ 'x-forwarded-for': '1.1.1.1' }))).toBeNull();
  });
  it('keeps a sane request id and replaces anything else', () => {
    expect(requestId(h({ 'x-request-id': 'abc-123' }))).toBe('abc-123');
    expect(requestId(h({ 'x-request-id': 'bad id <script>' }))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
