import { describe, expect, it } from 'vitest';
import { DEFAULT_CLASSIFIER_SET, type ClassifierSet } from './model';
import { tryClassifiers } from './try-set';

const body = JSON.stringify({ customer: { email: 'ana@example.com', ssn: '123-45-6789', card: { pan: '4111 1111 1111 1111' } } });
const set: ClassifierSet = {
  ...DEFAULT_CLASSIFIER_SET,
  rules: [
    { class: 'credit_card', direction: 'response', action: 'redact', services: ['shop/*'], exceptCallers: ['payments/billing'] },
    { class: 'ssn', direction: 'both', action: 'block', services: ['hr/*'], exceptCallers: [] },
  ],
};
const run = (over: Partial<Parameters<typeof tryClassifiers>[0]>) =>
  tryClassifiers({ document: set, body, contentType: 'application/json', direction: 'response', service: 'shop/orders', caller: '', ...over });

describe('trying a body against a draft set', () => {
  it('finds each class with its path, redacts what a rule says, and never returns the raw value outside the redacted body', () => {
    const r = run({});
    expect(r.action).toBe('redact');
    expect(r.because).toEqual(['credit_card']);
    expect(r.matches.find((m) => m.class === 'credit_card')).toMatchObject({ count: 1, paths: [{ path: '$.customer.card.pan', count: 1 }], sample: '4111 **** **** 1111' });
    const out = JSON.parse(r.redacted!);
    expect(out.customer.card.pan).not.toContain('4111 1111');
    expect(out.customer.email).toBe('ana@example.com');
    expect(JSON.stringify(r.matches)).not.toContain('123-45-6789');
  });

  it('applies rules by direction, service and excepted caller; block wins over redact', () => {
    expect(run({ caller: 'payments/billing' }).action).toBe('report');
    expect(run({ direction: 'request' }).action).toBe('report');
    expect(run({ service: 'hr/people' })).toMatchObject({ action: 'block', because: ['ssn'], redacted: null });
    expect(run({ service: '*' }).action).toBe('block');
    expect(run({ body: '{"note":"nothing here"}' })).toMatchObject({ action: 'none', matches: [] });
  });

  it('runs only the classes switched on', () => {
    const r = tryClassifiers({ document: { ...set, builtins: ['email'], rules: [] }, body, contentType: 'application/json', direction: 'response', service: '*', caller: '' });
    expect(r.matches.map((m) => m.class)).toEqual(['email']);
  });
});
