/**
 * A query the user must fix. `column` is 1-based and counts UTF-16 code units, as a browser's
 * text input does, so the search box can put the caret on it; `column` = length + 1 means
 * "at the end". `detail` is the message without its position, for UIs that show the column
 * themselves.
 */
export class QueryError extends Error {
  readonly column: number;
  readonly detail: string;

  constructor(column: number, detail: string) {
    super(`col ${column}: ${detail}`);
    this.name = 'QueryError';
    this.column = column;
    this.detail = detail;
  }
}

/** A user's text shortened for an error message, so a 2,000-character value cannot flood it. */
export function shown(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
