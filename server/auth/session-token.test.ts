import { describe, expect, it } from 'vitest';
import { refreshSessionClaims } from './session-token';

const HOUR = 3600;

describe('session lifetime', () => {
  it('stamps the sign-in time and keeps a fresh session', () => {
    const t = refreshSessionClaims({}, { id: 'usr_1', role: 'analyst' }, 1000, 8 * HOUR);
    expect(t).toEqual({ uid: 'usr_1', role: 'analyst', signedInAt: 1000 });
    expect(refreshSessionClaims({ ...t! }, undefined, 1000 + 8 * HOUR, 8 * HOUR)).not.toBeNull();
  });
  it('ends a session older than the lifetime, however often it was refreshed', () => {
    expect(refreshSessionClaims({ uid: 'usr_1', role: 'viewer', signedInAt: 1000 }, undefined, 1001 + 8 * HOUR, 8 * HOUR)).toBeNull();
  });
  it('ends tokens without a sign-in stamp or user, or stamped in the future', () => {
    expect(refreshSessionClaims({ uid: 'usr_1' }, undefined, 5000, HOUR)).toBeNull();
    expect(refreshSessionClaims({ signedInAt: 4000 }, undefined, 5000, HOUR)).toBeNull();
    expect(refreshSessionClaims({ uid: 'usr_1', signedInAt: 9000 }, undefined, 5000, HOUR)).toBeNull();
  });
});
