import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { can, rolesPhrase, type Permission } from '@/lib/permissions';
import { mustChangePassword, PASSWORD_CHANGE_REQUIRED } from './auth/password-change';
import type { Ctx } from './context';
import type { DetectionService } from './detection/service';
import type { DiscoveryService } from './discovery/service';
import { isDomainError } from './errors';
import { log } from './log';

export interface TrpcContext extends Ctx {
  /** false when a mutation arrives from another origin (checked by every procedure builder) */
  sameOrigin: boolean;
  /** this process's API discovery, when it runs (absent in tests that call procedures directly) */
  discovery?: DiscoveryService | null;
  /** this process's detection, when it runs: rule changes made here reach it at once */
  detection?: DetectionService | null;
  /** the caller's server-side session record, when signed in (server/auth/sessions.ts) */
  sessionId?: string | null;
  /** MESHWARD_RETENTION_DAYS: searches refuse ranges longer than what is kept */
  retentionDays?: number;
  /** where a generated first-admin password is kept until it is changed (server/users/initial-password-file.ts) */
  initialPasswordFile?: string | null;
}

export interface ProcedureMeta {
  /** what the caller needs (lib/permissions.ts says which roles hold it), or `signed_in` for anyone with a session */
  permission: Permission | 'signed_in';
  /** callable while the account's generated password waits to be changed (the change-password page's own procedures) */
  duringPasswordChange?: boolean;
}

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : null;
      // Internal errors carry no detail to the client; the log has it.
      const message = error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on the server' : shape.message;
      const column = isDomainError(error.cause) ? error.cause.column : null;
      return { ...shape, message, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, zodIssues: zod, column } };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become the matching tRPC error; anything else is logged and hidden. */
const errorMapping = t.middleware(async ({ next, path }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (isDomainError(cause)) {
      (res as { error: TRPCError }).error = new TRPCError({ code: cause.code, message: cause.message, cause });
    } else if (res.error.code === 'INTERNAL_SERVER_ERROR') {
      log.error({ path, err: cause ?? res.error }, 'procedure failed');
    }
  }
  return res;
});

const sameOrigin = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && !ctx.sameOrigin) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-origin request refused' });
  }
  return next();
});

const base = t.procedure.use(errorMapping).use(sameOrigin);

function guard(permission: Permission | 'signed_in', duringPasswordChange = false) {
  return base.meta({ permission, duringPasswordChange }).use(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
    if (!duringPasswordChange && mustChangePassword(ctx.actor)) throw new TRPCError({ code: 'FORBIDDEN', message: PASSWORD_CHANGE_REQUIRED });
    if (permission !== 'signed_in' && !can(ctx.actor.role, permission)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs ${rolesPhrase(permission)}` });
    }
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });
}

/** Any signed-in person (their own password and sessions). */
export const protectedProcedure = guard('signed_in');
/**
 * Any signed-in person, even one whose generated password is still to be changed: only what the
 * change-password page needs (who am I, change it, sign out everywhere).
 */
export const credentialProcedure = guard('signed_in', true);
/** Procedures for the holders of `permission`: every procedure is built from one of these. */
export const requirePermission = (permission: Permission) => guard(permission);
/** Reads the views: every role, the auditor included. */
export const viewerProcedure = requirePermission('read');
/** Triage, review, drafts, saved searches, exports, report generation: analysts and admins. */
export const analystProcedure = requirePermission('analyse');
/** Approvals, thresholds, tokens, users: admins. */
export const adminProcedure = requirePermission('administer');
/** The audit log: admins and auditors. */
export const auditReaderProcedure = requirePermission('readAudit');
