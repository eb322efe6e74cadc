import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import type { Role } from '@/db/schema';
import { oidcEnabled } from '@/server/config';
import type { Ctx } from '@/server/context';
import { clientIp, requestId } from '@/server/http/request-info';
import { log } from '@/server/log';
import { getRuntime } from '@/server/runtime';
import { resolveOidcUser } from './oidc';
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
  }
}

/** The sign-in page shows a message for these codes (`?code=` on the error redirect). */
export class ThrottledSignIn extends CredentialsSignin {
  code = 'throttled';
}
class DisabledSignIn extends CredentialsSignin {
  code = 'disabled';
}

async function requestCtx(headers: Headers | undefined): Promise<Ctx> {
  const rt = await getRuntime();
  const h = headers ?? new Headers();
  return { db: rt.database.db, now: () => new Date(), actor: null, requestId: requestId(h), sourceIp: clientIp(h) };
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
        if (result.reason === 'throttled') throw new ThrottledSignIn();
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
        const email = typeof profile?.email === 'string' ? profile.email : user.email;
        if (!email || profile?.email_verified === false) return false;
        const actor = await resolveOidcUser(await requestCtx(undefined), email, user.name ?? '', cfg.MESHWARD_OIDC_DEFAULT_ROLE);
        if (!actor) return false;
        user.id = actor.id;
        user.role = actor.role;
        return true;
      },
      jwt({ token, user }) {
        return refreshSessionClaims(token, user as { id?: string; role?: Role } | undefined, Date.now(), maxAge);
      },
      session({ session, token }) {
        session.user.id = String(token.uid ?? '');
        session.user.role = token.role as Role;
        session.signedInAt = Number(token.signedInAt);
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
