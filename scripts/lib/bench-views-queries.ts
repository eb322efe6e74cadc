// The queries behind the traffic views, called as their tRPC procedures call them, with the
// inputs the pages send (components/overview, components/dataflow, the graph page's panels).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { Ctx } from '@/server/context';
import { sensitiveClasses, sensitiveFlows, sensitiveMatrix, flowsInput, matrixInput } from '@/server/traffic/dataflow';
import { fleetHealth } from '@/server/traffic/fleet-health';
import { graphTopology } from '@/server/traffic/graph';
import { graphEdge } from '@/server/traffic/graph-edge';
import { graphNode } from '@/server/traffic/graph-node';
import { edgeInput, nodeInput, topologyInput } from '@/server/traffic/graph-schemas';
import { overviewSeries, overviewStats, topInput, topTalkers, topTokens } from '@/server/traffic/overview';
import type { Preset } from '@/server/traffic/time-range';
import { tokenActivity, tokenInput } from '@/server/traffic/token-activity';
import { rangeInput } from '@/server/traffic/view-range';

export type Page = '/' | '/graph' | '/data' | '/data/tokens/[id]';

export interface ViewQuery {
  page: Page;
  name: string;
  /** null: the query has no range (fleet health is "now") */
  range: Preset | null;
  run: (ctx: Ctx) => Promise<unknown>;
}

/** What the side panels and the token page are opened on: the busiest of the whole history. */
export interface Selection {
  node: string;
  edge: { src: string; dst: string };
  token: string;
}

export async function pickSelection(db: Db): Promise<Selection> {
  const [node] = await rows<{ service: string }>(db, sql`select service from service_hour group by 1 order by sum(requests) desc limit 1`);
  const [edge] = await rows<{ src: string; dst: string }>(
    db,
    sql`select src_service as src, dst_service as dst from edge_hour group by 1, 2 order by sum(requests) desc limit 1`,
  );
  const [token] = await rows<{ token_id: string }>(db, sql`select token_id from token_hour group by 1 order by sum(requests) desc limit 1`);
  if (!node || !edge || !token) throw new Error('the bench database holds no rollups: run with --repopulate');
  return { node: node.service, edge, token: token.token_id };
}

// The limits the page components send (components/overview/top-*.tsx, components/dataflow/*).
const TOP_TALKERS_SHOWN = 8;
const TOP_TOKENS_SHOWN = 7;
const HEATMAP_LIMIT = 20;
const FLOWS_PAGE_SIZE = 25;

/** Every query of every page for one range preset. */
export function queriesFor(preset: Preset, s: Selection): ViewQuery[] {
  const range = { preset };
  const q = (page: Page, name: string, run: ViewQuery['run']): ViewQuery => ({ page, name, range: preset, run });
  const ranged = rangeInput.parse({ range });
  const topTalkersIn = topInput.parse({ range, limit: TOP_TALKERS_SHOWN });
  const topTokensIn = topInput.parse({ range, limit: TOP_TOKENS_SHOWN });
  const topologyIn = topologyInput.parse({ range });
  const nodeIn = nodeInput.parse({ range, service: s.node });
  const edgeIn = edgeInput.parse({ range, ...s.edge });
  const byService = matrixInput.parse({ range, dimension: 'service', limit: HEATMAP_LIMIT });
  const byToken = matrixInput.parse({ range, dimension: 'token', limit: HEATMAP_LIMIT });
  const flowsIn = flowsInput.parse({ range, pageSize: FLOWS_PAGE_SIZE });
  const tokenIn = tokenInput.parse({ range, tokenId: s.token });
  return [
    q('/', 'overview.stats', (ctx) => overviewStats(ctx, ranged)),
    q('/', 'overview.series', (ctx) => overviewSeries(ctx, ranged)),
    q('/', 'overview.topTalkers', (ctx) => topTalkers(ctx, topTalkersIn)),
    q('/', 'overview.topTokens', (ctx) => topTokens(ctx, topTokensIn)),
    q('/', 'dataflow.classes', (ctx) => sensitiveClasses(ctx, ranged)),
    q('/graph', 'graph.topology', (ctx) => graphTopology(ctx, topologyIn)),
    q('/graph', 'graph.node', (ctx) => graphNode(ctx, nodeIn)),
    q('/graph', 'graph.edge', (ctx) => graphEdge(ctx, edgeIn)),
    q('/data', 'dataflow.classes', (ctx) => sensitiveClasses(ctx, ranged)),
    q('/data', 'dataflow.matrix(service)', (ctx) => sensitiveMatrix(ctx, byService)),
    q('/data', 'dataflow.matrix(token)', (ctx) => sensitiveMatrix(ctx, byToken)),
    q('/data', 'dataflow.flows', (ctx) => sensitiveFlows(ctx, flowsIn)),
    q('/data/tokens/[id]', 'dataflow.token', (ctx) => tokenActivity(ctx, tokenIn)),
  ];
}

/** The overview's fleet health: no range, the same for every preset. */
export const FLEET_HEALTH: ViewQuery = { page: '/', name: 'overview.fleetHealth', range: null, run: (ctx) => fleetHealth(ctx) };
