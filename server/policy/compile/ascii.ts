// Text for comments and messages inside generated configuration: data shown there is written
// as printable ASCII on one line, so no reader (nginx stops a comment at LF only, YAML 1.1 also
// at U+0085, U+2028 and U+2029) can see it end early.

/** `s` with `\` doubled and everything outside printable ASCII written as `\uXXXX`. */
export function printableAscii(s: string): string {
  return s.replace(/[^\x20-\x5b\x5d-\x7e]/g, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
