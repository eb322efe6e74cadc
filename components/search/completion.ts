// What the search box can complete at the caret: a field name, or a value of the field before it.

export type Completion =
  | { kind: 'field'; start: number; end: number; prefix: string }
  | { kind: 'value'; field: string; start: number; end: number; prefix: string };

const FIELD_OP = /([A-Za-z_][A-Za-z0-9_.]*)(:!=|:>=|:<=|:>|:<|!=|>=|<=|>|<|:)$/;

/**
 * The word around the caret and what it is. A value's prefix is its text without quotes, so
 * `user_agent:"Mozilla/5` completes from `Mozilla/5`. Inside an open quote a space belongs to
 * the value.
 */
export function completionAt(text: string, caret: number): Completion | null {
  const before = text.slice(0, caret);
  // the start of the current word: after the last space, parenthesis or bracket outside quotes
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (c === '\\' && inQuote) {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (/\s/.test(c) || c === '(' || c === ')' || c === '[')) start = i + 1;
  }
  let end = caret;
  while (end < text.length && !/[\s()]/.test(text[end]) && !inQuote) end++;
  let word = before.slice(start);
  if (word.startsWith('-')) {
    word = word.slice(1);
    start += 1;
  }
  const colon = findOperator(word);
  if (colon) {
    const raw = word.slice(colon.length);
    const prefix = raw.replace(/^"/, '').replace(/\\(.)/g, '$1');
    return { kind: 'value', field: colon.field, start: start + colon.length, end, prefix };
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(word)) return null;
  return { kind: 'field', start, end, prefix: word };
}

/** `field` and the length of `field` + operator at the start of the word, if the word has one. */
function findOperator(word: string): { field: string; length: number } | null {
  for (let i = 1; i <= word.length; i++) {
    const m = FIELD_OP.exec(word.slice(0, i));
    if (m && m.index === 0) {
      // the longest operator wins (`status:>=` over `status:`)
      let length = i;
      for (const op of [':!=', ':>=', ':<=', '!=', '>=', '<=', ':>', ':<']) {
        if (word.startsWith(m[1] + op)) length = Math.max(length, m[1].length + op.length);
      }
      return { field: m[1], length };
    }
  }
  return null;
}

/** The text with [start, end) replaced, and where the caret goes after it. */
export function applyCompletion(text: string, c: Completion, insert: string): { text: string; caret: number } {
  const next = text.slice(0, c.start) + insert + text.slice(c.end);
  return { text: next, caret: c.start + insert.length };
}
