import { describe, expect, it } from 'vitest';
import { applyCompletion, completionAt } from './completion';

const at = (s: string) => completionAt(s.replace('|', ''), s.indexOf('|'));

describe('search box completion', () => {
  it('completes a field name being typed', () => {
    expect(at('stat|')).toEqual({ kind: 'field', start: 0, end: 4, prefix: 'stat' });
    expect(at('service:a AND cli|')).toEqual({ kind: 'field', start: 14, end: 17, prefix: 'cli' });
    expect(at('(us|')).toMatchObject({ kind: 'field', start: 1, prefix: 'us' });
    expect(at('-meth|')).toMatchObject({ kind: 'field', start: 1, prefix: 'meth' });
  });

  it('completes a value after field and operator', () => {
    expect(at('service:|')).toEqual({ kind: 'value', field: 'service', start: 8, end: 8, prefix: '' });
    expect(at('status:>=5|')).toEqual({ kind: 'value', field: 'status', start: 9, end: 10, prefix: '5' });
    expect(at('status!=4|')).toMatchObject({ kind: 'value', field: 'status', prefix: '4' });
    expect(at('method:GET client.address:10.|')).toMatchObject({ kind: 'value', field: 'client.address', prefix: '10.' });
    expect(at('user_agent:"Mozilla/5.0 (X|')).toMatchObject({ kind: 'value', field: 'user_agent', prefix: 'Mozilla/5.0 (X' });
  });

  it('completes nothing inside free text that is not a word', () => {
    expect(at('/api/|')).toBeNull();
    expect(at('|')).toBeNull();
    expect(at('status:[400 TO |')).toBeNull();
  });

  it('replaces the word and puts the caret after the insertion', () => {
    const text = 'serv AND status:500';
    const c = completionAt(text, 4)!;
    expect(applyCompletion(text, c, 'service:')).toEqual({ text: 'service: AND status:500', caret: 8 });
    const v = completionAt('service:sh', 10)!;
    expect(applyCompletion('service:sh', v, 'shop/cart ')).toEqual({ text: 'service:shop/cart ', caret: 18 });
  });
});
