import { describe, expect, it } from 'vitest';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { addSensitive } from '@/server/traffic/graph-fixtures';
import { classifierImpact, measureImpact, type FindingRow } from './impact';
import { DEFAULT_CLASSIFIER_SET, type ClassifierSet } from './model';
import { publishClassifiers } from './revisions';

const withRules = (rules: ClassifierSet['rules']): ClassifierSet => ({ ...DEFAULT_CLASSIFIER_SET, rules });
const row = (src: string, dst: string, dataClass: string, direction: 'request' | 'response', events: number, matches = events): FindingRow => ({ src, dst, dataClass, direction, events, matches });

const FOUND = [
  row('shop/web', 'shop/payments', 'credit_card', 'response', 40, 55),
  row('shop/billing', 'shop/payments', 'credit_card', 'response', 25),
  row('shop/web', 'shop/payments', 'credit_card', 'request', 7),
  row('hr/portal', 'hr/payroll', 'ssn', 'response', 12),
  row('shop/web', 'shop/payments', 'email', 'response', 90),
];

describe('shadow impact of a classifier set', () => {
  it('counts, per rule, the events on the edges it covers, callers excepted, with the top callers and services', () => {
    const draft = withRules([
      { class: 'credit_card', direction: 'response', action: 'redact', services: ['shop/*'], exceptCallers: ['shop/billing'] },
      { class: 'ssn', direction: 'both', action: 'block', services: ['hr/payroll'], exceptCallers: [] },
      { class: 'iban', direction: 'both', action: 'block', services: ['*'], exceptCallers: [] },
    ]);
    const out = measureImpact(draft, DEFAULT_CLASSIFIER_SET, FOUND);
    expect(out.rules[0]).toMatchObject({
      index: 0, action: 'redact', events: 40, matches: 55, exceptedEvents: 25, classUnreported: false,
      callers: [{ name: 'shop/web', events: 40 }], callerCount: 1, services: [{ name: 'shop/payments', events: 40 }], serviceCount: 1,
    });
    expect(out.rules[1]).toMatchObject({ events: 12, exceptedEvents: 0, callers: [{ name: 'hr/portal', events: 12 }] });
    // a class nobody reported has no history to measure against: said so, not shown as harmless
    expect(out.rules[2]).toMatchObject({ events: 0, classUnreported: true });
    expect(out.draft).toEqual({ redact: 40, block: 12, report: 0 });
    expect(out.current).toEqual({ redact: 0, block: 0, report: 0 });
    expect(out.findings).toBe(174);
  });

  it('takes the strongest action where rules overlap, and honours each rule\'s exceptions', () => {
    const draft = withRules([
      { class: 'credit_card', direction: 'both', action: 'report', services: ['*'], exceptCallers: [] },
      { class: 'credit_card', direction: 'response', action: 'block', services: ['shop/payments'], exceptCallers: ['shop/billing'] },
    ]);
    const out = measureImpact(draft, draft, FOUND);
    // billing's responses are excepted from the block but still reported by the first rule
    expect(out.draft).toEqual({ block: 40, redact: 0, report: 25 + 7 });
    expect(out.current).toEqual(out.draft);
    expect(out.rules.map((r) => r.events)).toEqual([72, 40]);
  });
});

describeEachEngine('shadow impact from the stored findings', (h) => {
  it('reads the range\'s rolled-up findings and compares the draft with the set in force', async () => {
    const now = new Date('2026-11-20T12:30:00Z');
    const ctx = ctxFor(h.db, actor('admin'), { now: () => now });
    const hour = (back: number) => new Date(Date.UTC(2026, 10, 20, 12 - back));
    await addSensitive(h.db, { bucket: hour(3), src: 'shop/web', dst: 'shop/payments', dataClass: 'credit_card', direction: 'response', matches: 30, events: 20, hour: true });
    await addSensitive(h.db, { bucket: hour(30), src: 'shop/web', dst: 'shop/payments', dataClass: 'credit_card', direction: 'response', matches: 900, events: 900, hour: true });
    await addSensitive(h.db, { bucket: hour(5), src: 'shop/admin', dst: 'shop/payments', dataClass: 'credit_card', direction: 'response', matches: 4, events: 4, hour: true });
    await publishClassifiers(ctx, {
      document: withRules([{ class: 'credit_card', direction: 'response', action: 'report', services: ['*'], exceptCallers: [] }]),
      basedOn: 0, reason: 'report cards',
    });
    const draft = withRules([{ class: 'credit_card', direction: 'response', action: 'redact', services: ['shop/payments'], exceptCallers: ['shop/admin'] }]);

    const day = await classifierImpact(ctx, { document: draft, range: '24h' });
    expect(day.revision).toBe(1);
    expect(day.rules[0]).toMatchObject({ events: 20, matches: 30, exceptedEvents: 4, callers: [{ name: 'shop/web', events: 20 }] });
    expect(day.draft).toEqual({ redact: 20, block: 0, report: 0 });
    expect(day.current).toEqual({ redact: 0, block: 0, report: 24 });
    // the hour 30 h back is outside the day and inside the week
    expect((await classifierImpact(ctx, { document: draft, range: '7d' })).rules[0].events).toBe(920);
  });
});
