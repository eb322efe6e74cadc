/**
 * The one time a generated first-admin password reaches a terminal: framed, after the build and
 * once the console listens (server/main.ts), on stderr and never in the JSON log on stdout.
 */
export function firstAdminNotice(a: { email: string; password: string; file: string | null; url: string }): string {
  const rule = '='.repeat(72);
  const lines = [
    '',
    rule,
    ` Meshward created the first admin account. Sign in at ${a.url}`,
    `   email:    ${a.email}`,
    `   password: ${a.password}`,
    ' At first sign-in the console asks you to replace this password.',
    ...(a.file
      ? [` Until then a copy is kept in ${a.file}`, ' (readable by this OS user only); changing the password deletes it.']
      : [' The database is in memory: no copy is kept, so note it now.']),
    ' This is the only time it is printed.',
    rule,
    '',
    '',
  ];
  return lines.join('\n');
}
