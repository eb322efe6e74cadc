// A deliberate sign-out ends the session before its own redirect lands; meanwhile a query of the
// page may already be refused (UNAUTHORIZED) and would send the browser to the sign-in page with
// a way back here instead. Once a sign-out is under way, that second redirect stays out of it.
let leaving = false;

export function markSigningOut(): void {
  leaving = true;
}

export function isSigningOut(): boolean {
  return leaving;
}

/** The sign-out did not happen (its request failed): a refused query redirects again. */
export function cancelSigningOut(): void {
  leaving = false;
}
