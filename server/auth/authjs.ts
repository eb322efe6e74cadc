import NextAuth, { CredentialsSignin, type NextAuthConfig, type Session } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { headers as nextHeaders } from 'next/headers';
import type { Role } from '@/lib/enums';
import { oidcEnabled } from '@/server/config';
import type { Ctx } from '@/server/context';
import { clientIp, requestId } from '@/server/http/request-info';
import { log } from '@/server/log';
import { getRuntime } from '@/server/runtime';
import type { SessionRef } from './actor';
import { resolveOidcUser, verifiedOidcEmail } from './oidc';
import { endSession, startSession, type SessionDeps } from './sessions';
import { refreshSessionClaims } from './session-token';
import { signInWithPassword } from './sign-in';

declare module 'next-auth' {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { id: string; email: string; role: Role; name?: string | null };
    /** sign-in time, epoch ms: sessions older than the account's last password change are over */
    signedInAt: number;
    /** the server-side session record (db/schema/sessions.ts) this token belongs to; not a credential on its own */
    sessionId: string;
  }
}

/** The sign-in page shows a message for these codes (`?code=` on the error redirect). */
export class ThrottledSignIn extends CredentialsSignin {
  code = 'throttled';
  constructor(readonly retryAfterS: number) {
    super();
  }
}
class DisabledSignIn extends CredentialsSignin {
  code = 'disabled';
}

// This file is the Next.js glue: it alone takes the process runtime, and hands the auth
// functions only what they use.

/** The database and clock the auth functions work with. */
export async function authDeps(): Promise<SessionDeps> {
  const rt = await getRuntime();
  return { db: rt.database.db, now: () => new Date() };
}

/** The headers of the request being handled (a route handler's or a server action's). */
async function currentHeaders(): Promise<Headers> {
  try {
    return new Headers(await nextHeaders());
  } catch {
    return new Headers(); // outside a request (no caller does this today)
  }
}

async function requestCtx(given?: Headers): Promise<Ctx> {
  const h = given ?? (await currentHeaders());
  return { ...(await authDeps()), actor: null, requestId: requestId(h), sourceIp: clientIp(h) };
}

/** What a decoded session names, or null when it names no user or no session record. */
export function sessionRef(session: Session | null): SessionRef | null {
  if (!session?.user?.id || !session.sessionId) return null;
  return { userId: session.user.id, sessionId: session.sessionId, signedInAtMs: session.signedInAt };
}

async function config(): Promise<NextAuthConfig> {
  const rt = await getRuntime();
  const cfg = rt.config;
  const maxAge = Math.round(cfg.MESHWARD_SESSION_HOURS * 3600);
  const providers: NextAuthConfig['providers'] = [
    Credentials({
      id: 'credentials',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        const email = typeof credentials?.email === 'string' ? credentials.email : '';
        const password = typeof credentials?.password === 'string' ? credentials.password : '';
        if (!email || !password || password.length > 1024) return null;
        const result = await signInWithPassword(await requestCtx(request?.headers), { email, password });
        if (result.ok) return { id: result.actor.id, email: result.actor.email, role: result.actor.role };
        if (result.reason === 'throttled') throw new ThrottledSignIn(result.retryAfterS);
        if (result.reason === 'disabled') throw new DisabledSignIn();
        return null;
      },
    }),
  ];
  if (oidcEnabled(cfg)) {
    providers.push({
      id: 'oidc',
      name: cfg.MESHWARD_OIDC_NAME,
      type: 'oidc',
      issuer: cfg.MESHWARD_OIDC_ISSUER,
      clientId: cfg.MESHWARD_OIDC_CLIENT_ID,
      clientSecret: cfg.MESHWARD_OIDC_CLIENT_SECRET,
    });
  }
  return {
    secret: rt.authSecrets,
    trustHost: true,
    session: { strategy: 'jwt', maxAge },
    pages: { signIn: '/signin', error: '/signin' },
    providers,
    logger: {
      // Wrong passwords and expired or forged session cookies are everyday events, not errors.
      error: (e) => {
        const type = (e as { type?: string }).type;
        if (type !== 'CredentialsSignin' && type !== 'JWTSessionError') log.error({ type }, 'auth error');
      },
      warn: () => undefined,
      debug: () => undefined,
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== 'oidc') return true;
        const email = verifiedOidcEmail(profile as Record<string, unknown> | undefined);
        if (!email) return false;
        const actor = await resolveOidcUser(await requestCtx(), email, user.name ?? '', cfg.MESHWARD_OIDC_DEFAULT_ROLE);
        if (!actor) return false;
        user.id = actor.id;
        user.role = actor.role;
        return true;
      },
      async jwt({ token, user, account }) {
        let signedIn: { id?: string; role?: Role; sessionId?: string } | undefined;
        if (user) {
          // A fresh sign-in: the session exists from now on as a database row, which
          // sign-out and "sign out everywhere" revoke.
          if (!user.id) return null;
          const h = await currentHeaders();
          const sessionId = await startSession(await authDeps(), {
            userId: user.id, provider: account?.provider ?? 'credentials', maxAgeS: maxAge, userAgent: h.get('user-agent'), ip: clientIp(h),
          });
          signedIn = { id: user.id, role: user.role, sessionId };
        }
        return refreshSessionClaims(token, signedIn, Date.now(), maxAge);
      },
      session({ session, token }) {
        session.user.id = String(token.uid ?? '');
        session.user.role = token.role as Role;
        session.signedInAt = Number(token.signedInAt);
        session.sessionId = typeof token.sid === 'string' ? token.sid : '';
        return session;
      },
    },
    events: {
      // Sign-out ends the session record too, so a copy of the cookie is useless afterwards.
      async signOut(message) {
        const sid = 'token' in message ? message.token?.sid : undefined;
        if (typeof sid === 'string' && sid) await endSession(await requestCtx(), sid, 'sign_out');
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
