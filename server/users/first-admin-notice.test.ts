import { describe, expect, it } from 'vitest';
import { firstAdminNotice } from './first-admin-notice';

describe('first admin notice', () => {
  it('frames the email, password, console address and the file that keeps a copy', () => {
    const text = firstAdminNotice({ email: 'admin@meshward.local', password: 'pw-0123456789abcdefgh', file: '/srv/data/initial-admin-password', url: 'http://localhost:3000' });
    const lines = text.split('\n');
    const rules = lines.filter((l) => /^=+$/.test(l));
    expect(rules).toHaveLength(2);
    const inside = lines.slice(lines.indexOf(rules[0]) + 1, lines.lastIndexOf(rules[1]));
    expect(inside).toContain('   email:    admin@meshward.local');
    expect(inside).toContain('   password: pw-0123456789abcdefgh');
    expect(inside.join('\n')).toContain('Sign in at http://localhost:3000');
    expect(inside.join('\n')).toContain('/srv/data/initial-admin-password');
    expect(inside.join('\n')).toMatch(/asks you to replace this password/);
    // the password appears once: the notice is the only place it is printed
    expect(text.split('pw-0123456789abcdefgh')).toHaveLength(2);
  });

  it('says when no copy is kept (in-memory database)', () => {
    const text = firstAdminNotice({ email: 'a@x.test', password: 'p', file: null, url: 'http://localhost:3000' });
    expect(text).toContain('no copy is kept');
    expect(text).not.toContain('initial-admin-password');
  });
});
