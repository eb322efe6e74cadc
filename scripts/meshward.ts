// Admin CLI: `npm run --silent meshward -- <command>`. Same database settings as the console.
import { userInfo } from 'node:os';
import { openDatabase } from '@/db/client';
import { verifyAuditChain } from '@/server/audit/verify';
import { loadConfig } from '@/server/config';
import type { Ctx } from '@/server/context';
import { splitScope } from '@/server/fleet/scope';
import { createProxyToken, createTokenInput, listProxyTokens, revokeProxyToken, revokeTokenInput } from '@/server/fleet/tokens';
import { describeError, isDatabaseError } from '@/server/ops/error-summary';
import { createUser, listUsers } from '@/server/users/manage';
import { createUserInput } from '@/server/users/schemas';

const USAGE = `usage: npm run --silent meshward -- <command>

  proxy-token create --name NAME --services PATTERNS
                                        create a proxy token for the services it serves (comma-separated:
                                        shop/orders, shop/* for a namespace, * for a gateway); prints the
                                        token (the only time it is shown)
  proxy-token list                      list proxy tokens
  proxy-token revoke --id ID --reason R revoke a proxy token
  user create --email E --role R [--name N]
                                        create an account (viewer|analyst|admin); the password is read
                                        from stdin when piped, otherwise generated and printed
  user list                             list accounts
  audit verify                          verify the audit log's hash chain (exit 1 if broken)

Uses DATABASE_URL (PostgreSQL) or the embedded database in MESHWARD_DATA_DIR (default ./data).
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

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  return text || undefined;
}

async function main(argv: string[]): Promise<number> {
  const [area, verb, ...rest] = argv;
  if (!area || area === 'help' || area === '--help') {
    console.log(USAGE);
    return area ? 0 : 2;
  }
  const f = flags(rest);
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.MESHWARD_DATA_DIR });
  const ctx: Ctx = {
    db: database.db,
    now: () => new Date(),
    actor: { id: 'cli', email: `cli:${userInfo().username}`, role: 'admin' },
    requestId: `cli-${process.pid}`,
    sourceIp: null,
  };
  try {
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
        const password = await readStdin();
        const r = await createUser(ctx, createUserInput.parse({ email: f.email, role: f.role, name: f.name, password }));
        console.error(`created ${r.user.role} ${r.user.email}`);
        if (r.generatedPassword) console.log(r.generatedPassword);
        return 0;
      }
      case 'user list':
        for (const u of await listUsers(ctx)) console.log([u.email, u.role, u.disabledAt ? 'disabled' : 'active'].join('\t'));
        return 0;
      case 'audit verify': {
        const r = await verifyAuditChain(ctx);
        if (r.ok) {
          console.log(`audit chain intact: ${r.checked} entries`);
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
