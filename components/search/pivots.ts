import type { EventRow } from '@/server/search/events';
import { allOf, clause } from './search-url';

export interface Pivot {
  label: string;
  q: string;
}

/** From one event: the same actor (each identity it carries), the same edge, the same endpoint. */
export function pivotsOf(r: Pick<EventRow, 'token' | 'user' | 'clientAddress' | 'caller' | 'service' | 'method' | 'endpoint'>): Pivot[] {
  const out: Pivot[] = [];
  if (r.token) out.push({ label: 'Same token', q: clause('token', r.token) });
  if (r.user) out.push({ label: 'Same user', q: clause('user', r.user) });
  if (r.clientAddress) out.push({ label: 'Same client address', q: clause('client.address', r.clientAddress) });
  out.push({ label: 'Same edge', q: allOf(clause('caller', r.caller), clause('service', r.service)) });
  out.push({ label: 'Same endpoint', q: allOf(clause('service', r.service), clause('method', r.method), clause('endpoint', r.endpoint)) });
  return out;
}
