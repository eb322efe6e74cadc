// Telemetry is data: service names, routes, tokens and user agents reach the PDF and the CSVs
// as they were sent. These make them safe to print with the PDF's built-in fonts and to open
// in a spreadsheet.
import { CSV_EOL, csvText } from '@/lib/csv';

/** Characters of Windows-1252 above 0x7F that are not in Latin-1 (the built-in fonts' encoding). */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Invisible characters that reorder or hide text: shown by their code point, never passed on. */
const FORMAT_CHARS = /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

const codePoint = (c: number) => `[U+${c.toString(16).toUpperCase().padStart(4, '0')}]`;

/**
 * `value` as text the built-in PDF fonts (WinAnsi) can show: line breaks become ` ¶ `, control
 * and bidi/format characters their `[U+…]` code point, anything else outside WinAnsi `?`; cut
 * to `max` characters with an ellipsis.
 */
export function pdfText(value: unknown, max = 4000): string {
  const s = value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    let piece: string;
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) piece = ' \u00B6 ';
    else if (c === 9) piece = ' ';
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) piece = codePoint(c);
    else if (FORMAT_CHARS.test(ch)) piece = codePoint(c);
    else if (c < 0x7f || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRA.has(ch)) piece = ch;
    else piece = '?';
    out += piece;
    if (out.length > max) return `${out.slice(0, max - 1)}\u2026`;
  }
  return out;
}

/** Numbers with thousands separators (one decimal at most), everything else as safe text. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : String(v);
  }
  return pdfText(v);
}

/** One CSV cell: text through csvText (quoting, formulas neutralised); numbers as written. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return csvText(typeof v === 'string' ? v : JSON.stringify(v));
}

export function toCsv(columns: string[], rows: unknown[][]): string {
  const lines = [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return `${lines.join(CSV_EOL)}${CSV_EOL}`;
}
