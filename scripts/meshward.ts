// Admin CLI: `npm run --silent meshward -- <command>`. Same database settings as the console.
import { userInfo } from 'node:os';
import { openDatabase } from '@/db/client';
import { formatCheckpoint, parseCheckpoint } from '@/server/audit/checkpoint';
import { installAuditKeyring } from '@/server/audit/keyring';
import { verifyAuditChain } from '@/server/audit/verify';
import { loadConfig } from '@/server/config';
import type { Ctx } from '@/server/context';
import { loadAuditKeyring, prepareMasterKeys } from '@/server/secrets/load';
import { splitScope } from '@/server/fleet/scope';
import { createProxyToken, createTokenInput, listProxyTokens, revokeProxyToken, revokeTokenInput } from '@/server/fleet/tokens';
import { describeError, isDatabaseError } from '@/server/ops/error-summary';
import { CLI_ACTOR_ID, linkUrl } from '@/server/users/links';
import { createUser, listUsers, resetUserPassword } from '@/server/users/manage';
import { createUserInput, emailSchema, reasonSchema } from '@/server/users/schemas';
import { users } from '@/db/schema';
import { eq } from 'drizzle-orm';

const USAGE = `usage: npm run --silent meshward -- <command>

  proxy-token create --name NAME --services PATTERNS
                                        create a proxy token for the services it serves (comma-separated:
                                        shop/orders, shop/* for a namespace, * for a gateway); prints the
                                        token (the only time it is shown)
  proxy-token list                      list proxy tokens
  proxy-token revoke --id ID --reason R revoke a proxy token
  user create --email E --role R [--name N] [--url URL]
                                        create an account (viewer|analyst|admin|auditor); prints a one-time
                                        link (24 h) with which its owner sets the password
  user reset-password --email E --reason R [--url URL]
                                        end an account's password and sessions, print a one-time link
                                        for its owner (also for admins: the operator's break-glass)
  user list                             list accounts
  migrate                               bring the database schema up to date (run it as the migration
                                        role when the console runs with MESHWARD_MIGRATE=off)
  audit verify [--checkpoint ID:HASH[,ID:HASH…]]
                                        verify the audit log's keyed hash chain, and that it still
                                        reaches checkpoints published earlier (exit 1 if not);
                                        prints the head as a checkpoint to keep

Links need the console's URL: MESHWARD_PUBLIC_URL, or --url https://console.example.com.
The CLI is the operator's break-glass: it needs no second admin to create an admin or reset an
admin's password; every action is audited as cli:<os user>.
Uses DATABASE_URL (PostgreSQL) or the embedded database in MESHWARD_DATA_DIR (default ./data),
and the console's keys (MESHWARD_SECRET_KEY, MESHWARD_AUDIT_KEY, … or their _FILE forms).
The embedded database can be used by one process at a time: stop the console first.`;

function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const [k, inline] = a.slice(2).split('=', 2);
    out[k] = inline ?? args[++i] ?? '';
  }
  return out;
}

/** The console's URL for links, checked before anything changes. */
function consoleUrl(given: string | undefined): string {
  if (!given) throw new Error('set MESHWARD_PUBLIC_URL or pass --url https://console.example.com: the link must point at the console');
  const u = new URL(given);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`--url must be an http(s) URL, not ${u.protocol}`);
  return u.origin;
}

async function main(argv: string[]): Promise<number> {
  const [area, verb, ...rest] = argv;
  if (!area || area === 'help' || area === '--help') {
    console.log(USAGE);
    return area ? 0 : 2;
  }
  const f = flags(rest);
  const config = loadConfig();
  const migrating = area === 'migrate';
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.MESHWARD_DATA_DIR, migrate: migrating || config.MESHWARD_MIGRATE });
  if (migrating) {
    await database.close();
    console.error('the database schema is up to date');
    return 0;
  }
  const ctx: Ctx = {
    db: database.db,
    now: () => new Date(),
    actor: { id: CLI_ACTOR_ID, email: `cli:${userInfo().username}`, role: 'admin' },
    requestId: `cli-${process.pid}`,
    sourceIp: null,
  };
  try {
    // Audit entries are MACed with the console's audit key: the CLI writes and checks them alike.
    installAuditKeyring(await loadAuditKeyring(database.db, config, await prepareMasterKeys(database.db, config)));
    const cmd = `${area} ${verb ?? ''}`.trim();
    switch (cmd) {
      case 'proxy-token create': {
        const t = await createProxyToken(ctx, createTokenInput.parse({ name: f.name, services: splitScope(f.services ?? '') }));
        console.error(`created proxy token ${t.id} (${t.name}) for ${t.services.join(', ')}`);
        console.log(t.token);
        return 0;
      }
      case 'proxy-token list':
        for (const t of await listProxyTokens(ctx)) {
          console.log([t.id, t.name, `${t.prefix}…`, t.services.join(','), t.revokedAt ? 'revoked' : 'active', `${t.proxies} proxies`].join('\t'));
        }
        return 0;
      case 'proxy-token revoke':
        await revokeProxyToken(ctx, revokeTokenInput.parse({ tokenId: f.id, reason: f.reason }));
        console.error(`revoked ${f.id}`);
        return 0;
      case 'user create': {
        const base = consoleUrl(f.url ?? config.MESHWARD_PUBLIC_URL);
        const r = await createUser(ctx, createUserInput.parse({ email: f.email, role: f.role, name: f.name }), { operator: true });
        if (r.kind !== 'created') throw new Error('the account was not created');
        console.error(`created ${r.user.role} ${r.user.email}; hand this link to its owner (valid until ${r.link.expiresAt.toISOString()}, works once):`);
        console.log(linkUrl(base, r.link.token));
        return 0;
      }
      case 'user reset-password': {
        const base = consoleUrl(f.url ?? config.MESHWARD_PUBLIC_URL);
        const email = emailSchema.parse(f.email);
        const [u] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
        if (!u) throw new Error(`no account for ${email}`);
        const r = await resetUserPassword(ctx, { userId: u.id, reason: reasonSchema.parse(f.reason) }, { operator: true });
        console.error(`${email}: password and sessions ended; hand this link to its owner (valid until ${r.link.expiresAt.toISOString()}, works once):`);
        console.log(linkUrl(base, r.link.token));
        return 0;
      }
      case 'user list':
        for (const u of await listUsers(ctx)) console.log([u.email, u.role, u.disabledAt ? 'disabled' : 'active'].join('\t'));
        return 0;
      case 'audit verify': {
        let checkpoints;
        try {
          checkpoints = (f.checkpoint ?? '').split(',').filter((c) => c.trim()).map(parseCheckpoint);
        } catch (e) {
          console.error(`meshward: --checkpoint: ${(e as Error).message}`);
          return 2;
        }
        const r = await verifyAuditChain(ctx, { checkpoints });
        if (r.ok) {
          const reached = checkpoints.length ? `, reaching ${checkpoints.length} checkpoint${checkpoints.length > 1 ? 's' : ''}` : '';
          console.log(`audit chain intact: ${r.checked} entries${reached}`);
          if (r.lastId) console.log(`head checkpoint: ${formatCheckpoint({ id: r.lastId, hash: r.lastHash! })}`);
          return 0;
        }
        console.log(`audit chain BROKEN at entry ${r.brokenAt}: ${r.problem}`);
        return 1;
      }
      default:
        console.error(`unknown command "${cmd}"\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const issues = (e as { issues?: Array<{ path: unknown[]; message: string }> }).issues;
    // describeError: a failed statement's parameters (password and token hashes) stay out of the terminal too.
    console.error(`meshward: ${issues ? issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; ') : isDatabaseError(e) ? describeError(e) : (e as Error).message}`);
    process.exit(issues ? 2 : 1);
  },
);
