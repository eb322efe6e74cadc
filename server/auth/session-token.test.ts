import { describe, expect, it } from 'vitest';
import { refreshSessionClaims } from './session-token';

const HOUR = 3600;
const T = 1_700_000_000_000;

describe('session lifetime', () => {
  it('stamps the sign-in time and the session record, and keeps a fresh session', () => {
    const t = refreshSessionClaims({}, { id: 'usr_1', role: 'analyst', sessionId: 'ses_1' }, T, 8 * HOUR);
    expect(t).toEqual({ uid: 'usr_1', role: 'analyst', sid: 'ses_1', signedInAt: T });
    expect(refreshSessionClaims({ ...t! }, undefined, T + 8 * HOUR * 1000, 8 * HOUR)).not.toBeNull();
  });
  it('ends a session older than the lifetime, however often it was refreshed', () => {
    expect(refreshSessionClaims({ uid: 'usr_1', role: 'viewer', sid: 'ses_1', signedInAt: T }, undefined, T + 8 * HOUR * 1000 + 1, 8 * HOUR)).toBeNull();
  });
  it('ends tokens without a sign-in stamp, user or session record, or stamped in the future', () => {
    expect(refreshSessionClaims({ uid: 'usr_1', sid: 'ses_1' }, undefined, T, HOUR)).toBeNull();
    expect(refreshSessionClaims({ signedInAt: T, sid: 'ses_1' }, undefined, T, HOUR)).toBeNull();
    // issued before sessions were recorded: signed out once, on upgrade
    expect(refreshSessionClaims({ uid: 'usr_1', signedInAt: T }, undefined, T, HOUR)).toBeNull();
    expect(refreshSessionClaims({ uid: 'usr_1', sid: '', signedInAt: T }, undefined, T, HOUR)).toBeNull();
    expect(refreshSessionClaims({ uid: 'usr_1', sid: 'ses_1', signedInAt: T + 120_000 }, undefined, T, HOUR)).toBeNull();
  });
});
