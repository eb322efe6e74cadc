import type { Db } from '@/db/client';
import { MachineRefusal, machineRoute, type MachineDeps } from '@/server/http/machine-route';
import type { ClusterAccounts } from '@/server/policy/cluster-accounts';
import { heartbeatSchema, heartbeatService, recordHeartbeat } from './heartbeat';
import { foreignProxyMessage, type ProxyOwnership } from './ownership';
import { inScope, outOfScopeMessage } from './scope';

const MAX_HEARTBEAT_BYTES = 64 * 1024;

/** What the heartbeat route uses of the console. */
export interface HeartbeatDeps extends MachineDeps {
  db: Db;
  ownership: Pick<ProxyOwnership, 'foreign'>;
  /** reads a SPIFFE service back to its name as ingest does (absent: the default mapping) */
  clusterAccounts?: Pick<ClusterAccounts, 'resolver'> | null;
}

/**
 * POST /api/fleet/v1/status: a proxy reports its version, policy revision and counters. A
 * heartbeat naming a service outside the token's services is refused (403), so a token
 * cannot make a proxy appear to serve, or to run the policy of, another team's service.
 */
export const handleHeartbeat = machineRoute<HeartbeatDeps>({
  name: 'heartbeat',
  format: 'json',
  realm: 'meshward-fleet',
  maxBodyBytes: () => MAX_HEARTBEAT_BYTES,
  async handle(call, deps) {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(call.body ?? new Uint8Array(0)).toString('utf8'));
    } catch {
      throw new MachineRefusal(400, 'malformed', 'body is not valid JSON');
    }
    const parsed = heartbeatSchema.safeParse(body);
    if (!parsed.success) {
      const msg = parsed.error.issues.slice(0, 5).map((i) => `\`${i.path.join('.') || 'body'}\`: ${i.message}`).join('; ');
      throw new MachineRefusal(400, 'malformed', msg);
    }
    const accounts = await deps.clusterAccounts?.resolver();
    const hb = { ...parsed.data, service: heartbeatService(parsed.data, accounts?.(parsed.data.cluster ?? null) ?? null) };
    if (hb.service !== undefined && !inScope(call.principal.services, hb.service)) {
      throw new MachineRefusal(403, 'forbidden_service', outOfScopeMessage(hb.service, call.principal.services));
    }
    const foreign = await deps.ownership.foreign([hb.proxy_id], call.principal.tokenId);
    if (foreign.length) throw new MachineRefusal(403, 'forbidden_proxy', foreignProxyMessage(foreign));
    const now = new Date();
    await recordHeartbeat(deps.db, call.principal, hb, now);
    return Response.json({ ok: true, server_time: now.toISOString() });
  },
});
