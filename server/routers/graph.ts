import { graphTopology } from '@/server/traffic/graph';
import { graphEdge } from '@/server/traffic/graph-edge';
import { graphNode } from '@/server/traffic/graph-node';
import { edgeInput, edgeOutput, nodeInput, nodeOutput, topologyInput, topologyOutput } from '@/server/traffic/graph-schemas';
import { createRouter, viewerProcedure } from '@/server/trpc';

/** Procedures behind the service graph (`/graph`). */
export const graphRouter = createRouter({
  topology: viewerProcedure.input(topologyInput).output(topologyOutput).query(({ ctx, input }) => graphTopology(ctx, input)),
  node: viewerProcedure.input(nodeInput).output(nodeOutput).query(({ ctx, input }) => graphNode(ctx, input)),
  edge: viewerProcedure.input(edgeInput).output(edgeOutput).query(({ ctx, input }) => graphEdge(ctx, input)),
});
