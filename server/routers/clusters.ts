import {
  listClusterSettings, previewClusterSettings, previewClusterSettingsInput, removeClusterSettings, removeClusterSettingsInput,
  setClusterSettings, setClusterSettingsInput,
} from '@/server/policy/cluster-settings';
import { adminProcedure, createRouter, viewerProcedure } from '@/server/trpc';

/**
 * Procedures behind `/settings/clusters`: everyone reads the compile settings and previews what
 * they make of a service; admins change them, each change audited. Proxies pull bundles compiled
 * with the new settings on their next poll.
 */
export const clustersRouter = createRouter({
  list: viewerProcedure.query(({ ctx }) => listClusterSettings(ctx)),
  preview: viewerProcedure.input(previewClusterSettingsInput).query(({ input }) => previewClusterSettings(input)),
  set: adminProcedure.input(setClusterSettingsInput).mutation(({ ctx, input }) => setClusterSettings(ctx, input)),
  remove: adminProcedure.input(removeClusterSettingsInput).mutation(({ ctx, input }) => removeClusterSettings(ctx, input)),
});
