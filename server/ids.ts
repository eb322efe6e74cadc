import { randomBytes } from 'node:crypto';

/** A short random identifier with a readable prefix (`usr_…`, `pt_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
