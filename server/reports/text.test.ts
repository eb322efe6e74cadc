import { describe, expect, it } from 'vitest';
import { niceCeil } from './pdf';
import { duePeriod, nextPeriod, periodStart } from './schedules';
import { csvCell, formatValue, pdfText, toCsv } from './text';

describe('pdfText', () => {
  it('keeps WinAnsi text and makes line breaks, controls and direction overrides visible', () => {
    expect(pdfText('shop/orders – “ok” € café')).toBe('shop/orders – “ok” € café');
    expect(pdfText('a\nb\r\nc')).toBe('a ¶ b ¶  ¶ c');
    expect(pdfText('x\u202Eexe.gnp\u200By\u0000z\u0007')).toBe('x[U+202E]exe.gnp[U+200B]y[U+0000]z[U+0007]');
    expect(pdfText('\u05E9\u05DC\u05D5\u05DD 名前 😀')).toBe('???? ?? ?');
    expect(pdfText(null)).toBe('');
    expect(pdfText(42)).toBe('42');
  });

  it('cuts long text with an ellipsis', () => {
    expect(pdfText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(pdfText('\u202E'.repeat(100), 20)).toHaveLength(20);
  });

  it('formats numbers for people', () => {
    expect(formatValue(1234567)).toBe('1,234,567');
    expect(formatValue(57.6923)).toBe('57.7');
    expect(formatValue('a\nb')).toBe('a ¶ b');
  });
});

describe('csv', () => {
  it('neutralises formulas and quotes what needs quoting', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}SUM(A1)`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(toCsv(['a', 'b'], [[1, '@x'], [null, 'y']])).toBe("a,b\r\n1,'@x\r\n,y\r\n");
  });
});

describe('chart axis', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 11, 30, 51, 999].map(niceCeil)).toEqual([2, 2, 2, 5, 10, 20, 50, 100, 1000]);
  });
});

describe('schedule periods (UTC)', () => {
  const d = (s: string) => new Date(s);
  it('start at midnight, Monday midnight and the first of the month', () => {
    expect(periodStart('daily', d('2026-01-15T13:45:00Z'))).toEqual(d('2026-01-15T00:00:00Z'));
    expect(periodStart('weekly', d('2026-01-15T13:45:00Z'))).toEqual(d('2026-01-12T00:00:00Z')); // a Thursday
    expect(periodStart('weekly', d('2026-01-18T23:59:00Z'))).toEqual(d('2026-01-12T00:00:00Z')); // Sunday
    expect(periodStart('weekly', d('2026-01-19T00:00:00Z'))).toEqual(d('2026-01-19T00:00:00Z'));
    expect(periodStart('monthly', d('2026-03-31T23:00:00Z'))).toEqual(d('2026-03-01T00:00:00Z'));
    expect(nextPeriod('monthly', d('2026-01-01T00:00:00Z'))).toEqual(d('2026-02-01T00:00:00Z'));
    expect(nextPeriod('monthly', d('2026-12-01T00:00:00Z'))).toEqual(d('2027-01-01T00:00:00Z'));
  });

  it('report the period after the last one, or the one the schedule was created in', () => {
    expect(duePeriod({ cadence: 'daily', lastPeriodEnd: null, createdAt: d('2026-01-15T13:00:00Z') }))
      .toEqual({ from: d('2026-01-15T00:00:00Z'), to: d('2026-01-16T00:00:00Z') });
    expect(duePeriod({ cadence: 'weekly', lastPeriodEnd: d('2026-01-19T00:00:00Z'), createdAt: d('2026-01-01T00:00:00Z') }))
      .toEqual({ from: d('2026-01-19T00:00:00Z'), to: d('2026-01-26T00:00:00Z') });
  });
});
