// The filter's rule logic and set validation, run in Node from the very module nginx loads.
import { describe, expect, it } from 'vitest';
import { buildInspectModule, loadFilterInNode } from './inspect-build.mjs';

const filter = await loadFilterInNode(buildInspectModule({ classifiersFile: '/nonexistent/meshward-classifiers.json' }));

const set = (rules: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ revision: 4, builtins: ['credit_card', 'ssn', 'email'], custom: [], rules, maxBodyBytes: 4096, ...extra });
const rule = (cls: string, direction: string, action: string, exceptCallers: string[] = []) => ({ class: cls, direction, action, services: ['shop/*'], exceptCallers });

describe('the content filter rules', () => {
  it('takes the strongest action per class for the direction, except for the callers a rule names', () => {
    const s = filter.load(set([
      rule('credit_card', 'response', 'report'), rule('credit_card', 'both', 'redact', ['shop/billing']), rule('credit_card', 'response', 'block', ['shop/web', 'shop/billing']),
      rule('ssn', 'request', 'block'), rule('email', 'response', 'redact'),
    ]));
    expect(s).toMatchObject({ revision: 4, active: true, maxBodyBytes: 4096 });
    expect(filter.actions(s, 'response', 'shop/web')).toEqual({ redact: ['credit_card', 'email'], block: [] });
    expect(filter.actions(s, 'response', 'shop/billing')).toEqual({ redact: ['email'], block: [] });
    expect(filter.actions(s, 'response', 'external')).toEqual({ redact: ['email'], block: ['credit_card'] });
    expect(filter.actions(s, 'request', 'shop/web')).toEqual({ redact: ['credit_card'], block: ['ssn'] });
  });

  it('is inactive with no class to run, and refuses sets it could not run', () => {
    expect(filter.load(set([], { builtins: [] })).active).toBe(false);
    expect(() => filter.load('{')).toThrow();
    expect(() => filter.load(set([], { builtins: ['credit_card', 'no_such_class'] }))).toThrow(/unknown built-in class/);
    expect(() => filter.load(set([rule('ssn', 'sideways', 'block')]))).toThrow(/rule 1/);
    expect(() => filter.load(set([rule('ssn', 'request', 'shred')]))).toThrow(/rule 1/);
    expect(() => filter.load(set([], { custom: [{ name: 'x', pattern: '(a|b){1,20}' }] }))).toThrow(/custom class/);
    expect(() => filter.load(set([], { maxBodyBytes: 1.5 }))).toThrow(/maxBodyBytes/);
  });
});
