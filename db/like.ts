/**
 * Text a person typed, made literal inside a LIKE pattern: their own `%`, `_` and `\` escaped
 * for PostgreSQL's default escape character (`\`, also written `escape '\'`), so only the
 * wildcards the code adds match anything.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
