import { listProxyPage } from '@/server/fleet/proxy-list';
import { proxyListInput, proxyListOutput } from '@/server/fleet/proxy-list-input';
import { createProxyToken, createTokenInput, listProxyTokens, revokeProxyToken, revokeTokenInput } from '@/server/fleet/tokens';
import { identityGaps, identityGapsOutput } from '@/server/traffic/identity-gaps';
import { adminProcedure, createRouter, viewerProcedure } from '@/server/trpc';

export const fleetRouter = createRouter({
  proxies: viewerProcedure.input(proxyListInput.prefault({})).output(proxyListOutput).query(({ ctx, input }) => listProxyPage(ctx, input)),
  tokens: viewerProcedure.query(({ ctx }) => listProxyTokens(ctx)),
  identityGaps: viewerProcedure.output(identityGapsOutput).query(({ ctx }) => identityGaps(ctx)),
  createToken: adminProcedure.input(createTokenInput).mutation(({ ctx, input }) => createProxyToken(ctx, input)),
  revokeToken: adminProcedure.input(revokeTokenInput).mutation(({ ctx, input }) => revokeProxyToken(ctx, input)),
});
