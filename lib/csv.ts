// CSV as Meshward writes it (search export, report evidence): RFC 4180 with CRLF, and no cell a
// spreadsheet would run as a formula. Telemetry is attacker-controlled, so every text cell goes
// through csvText.

export const CSV_EOL = '\r\n';
const QUOTE_NEEDED = /[",\r\n]/;

/**
 * One CSV field for a text value: a value starting with = + - @, a tab or a CR gets a leading '
 * (OWASP "CSV injection"), then it is quoted if it holds a quote, comma or line break.
 */
export function csvText(value: string): string {
  if (value.length === 0) return '';
  const c = value.charCodeAt(0);
  // = + - @ TAB CR
  if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) value = `'${value}`;
  return QUOTE_NEEDED.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
