import { listProxies } from '@/server/fleet/proxies';
import { createProxyToken, createTokenInput, listProxyTokens, revokeProxyToken, revokeTokenInput } from '@/server/fleet/tokens';
import { adminProcedure, createRouter, viewerProcedure } from '@/server/trpc';

export const fleetRouter = createRouter({
  proxies: viewerProcedure.query(({ ctx }) => listProxies(ctx)),
  tokens: viewerProcedure.query(({ ctx }) => listProxyTokens(ctx)),
  createToken: adminProcedure.input(createTokenInput).mutation(({ ctx, input }) => createProxyToken(ctx, input)),
  revokeToken: adminProcedure.input(revokeTokenInput).mutation(({ ctx, input }) => revokeProxyToken(ctx, input)),
});
