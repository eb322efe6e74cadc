import { hostingIp, residentialIp, tokenIdOf } from '../population';
import { uuid, type Prng } from '../random';
import type { Actor } from '../trace';
import { BROWSER_UAS } from '../words';

/** Distinct addresses for a botnet: hijacked home routers, or rented servers, or both. */
export function botnet(r: Prng, size: number, kind: 'residential' | 'hosting' | 'mixed'): string[] {
  const ips = new Set<string>();
  while (ips.size < size) {
    const home = kind === 'residential' || (kind === 'mixed' && r.chance(0.6));
    ips.add(home ? residentialIp(r) : hostingIp(r));
  }
  return [...ips];
}

/** An account the attacker signed up for: its own subject and token. */
export function throwawayAccount(r: Prng, planId: string, ip: string, ua: string): Actor {
  const subject = uuid(r);
  return { tokenId: tokenIdOf(`throwaway.${planId}.${subject}`), user: subject, ip, ua };
}

export const SCRIPT_UAS = ['python-requests/2.32.3', 'curl/8.5.0', 'Go-http-client/1.1', 'axios/1.7.7', 'okhttp/4.12.0'];
export const OUTDATED_BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36';

/** Browser-looking User-Agents a botnet rotates through, some of them years old. */
export function rotatingUa(r: Prng): string {
  return r.chance(0.8) ? r.pick(BROWSER_UAS) : OUTDATED_BROWSER_UA;
}

/** Timestamps from `start` to `end` at about `perSecond`, with jitter. */
export function* ticks(r: Prng, start: number, end: number, perSecond: number, jitter = 0.5): Generator<number> {
  const gap = 1000 / perSecond;
  for (let t = start + r.next() * gap; t < end; t += gap * (1 - jitter / 2 + r.next() * jitter)) yield t;
}
