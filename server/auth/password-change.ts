// A password Meshward generated (the first admin's, when MESHWARD_ADMIN_PASSWORD is unset) was
// printed to a terminal and written to a file: its owner replaces it before doing anything else.
// Every tRPC procedure but the few of the change-password page (server/trpc.ts) and every download
// route (server/http/session-actor.ts) refuses with this message while the account's flag is set.

/** The page a person with a generated password is sent to, whatever they asked for. */
export const PASSWORD_CHANGE_PATH = '/change-password';

export const PASSWORD_CHANGE_REQUIRED =
  `Change the password Meshward generated for this account first (${PASSWORD_CHANGE_PATH}): until then the console does nothing else for it`;

/** Whether the acting person still holds a generated password. */
export function mustChangePassword(actor: { mustChangePassword?: boolean } | null | undefined): boolean {
  return actor?.mustChangePassword === true;
}
