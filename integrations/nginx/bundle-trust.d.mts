// Types for the agent's trust store (the agent itself is plain JavaScript, run by bare Node).
export interface Refusal {
  reason: 'replay' | 'expired' | 'future' | 'signature' | 'key' | 'invalid';
  message: string;
}
export function sha256Hex(text: string): string;
export class KeyTrust {
  constructor(opts: { pinnedPem: string; file: string });
  pinnedId: string;
  signer(id: string): unknown;
  knows(id: string): boolean;
  learn(doc: unknown, now: number, skewS: number): Refusal | null;
  check(b: unknown, expect: { service: string; applied: number; now: number; skewS: number; format?: 'nginx' | 'classifiers' }): Refusal | null;
}
