// Signs in to a running console over plain HTTP (next-auth's credentials callback), for
// process-level tests that act as an analyst without a browser.

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

/** The Cookie header of a signed-in session; throws with the console's answer when sign-in fails. */
export async function signInOverHttp(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; '), origin: url },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${url}/` }).toString(),
  });
  const session = cookiesOf(res).filter((c) => /session-token=./.test(c));
  if (!session.length) throw new Error(`sign-in as ${email} failed: ${res.status} ${res.headers.get('location') ?? ''}`);
  return [...jar, ...session].join('; ');
}

/** A tRPC query as the signed-in person: `{ status, ms, data }`. */
export async function trpcQueryOverHttp(url: string, cookie: string, path: string, input?: unknown, timeoutMs = 30_000) {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const started = performance.now();
  const res = await fetch(`${url}/api/trpc/${path}${qs}`, { headers: { cookie }, signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - started, body };
}
