import { z } from 'zod';

// What the fleet's proxy list can be asked for: shared with the client, which reads the same
// names from the URL (/fleet?health=silent&sort=version&page=2), so no server imports here.

export const PROXY_SORTS = ['name', 'health', 'lastSeen', 'version', 'cluster'] as const;
export type ProxySort = (typeof PROXY_SORTS)[number];

export const PROXY_HEALTH = ['reporting', 'silent'] as const;
export type ProxyHealth = (typeof PROXY_HEALTH)[number];

/** A proxy's policy against its service's newest published revision (server/policy/rollout.ts). */
export const PROXY_ROLLOUT = ['current', 'pending', 'outdated', 'none'] as const;
export type ProxyRolloutFilter = (typeof PROXY_ROLLOUT)[number];

export const PROXY_PAGE_SIZES = [25, 50, 100] as const;
export type ProxyPageSize = (typeof PROXY_PAGE_SIZES)[number];

/** The filter value for "the proxy never reported one" (a version, cluster or revision). */
export const UNSET = '(none)';

/** The direction a column sorts in first: newest contact, silent proxies first; names A→Z. */
export const FIRST_DIR: Record<ProxySort, 'asc' | 'desc'> = { name: 'asc', health: 'desc', lastSeen: 'desc', version: 'desc', cluster: 'asc' };

const value = z.string().trim().min(1).max(200);

export const proxyListInput = z.object({
  /** text in the proxy id, service, cluster, node or version */
  q: z.string().trim().max(200).optional(),
  health: z.enum(PROXY_HEALTH).optional(),
  /** an exact version, or UNSET */
  version: value.optional(),
  cluster: value.optional(),
  /** the policy revision the proxy reports to have applied, exactly, or UNSET */
  revision: value.optional(),
  rollout: z.enum(PROXY_ROLLOUT).optional(),
  sort: z.enum(PROXY_SORTS).default('lastSeen'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(0).max(100_000).default(0),
  pageSize: z.literal(PROXY_PAGE_SIZES).default(25),
});
export type ProxyListInput = z.input<typeof proxyListInput>;
export type ProxyListQuery = z.output<typeof proxyListInput>;

const facet = z.array(z.object({ value: z.string().nullable(), proxies: z.number().int() }));

export const proxyListOutput = z.object({
  /** proxies matching the filters */
  total: z.number().int(),
  /** the page shown: the one asked for, or the last one when fewer proxies match now */
  page: z.number().int(),
  pageSize: z.number().int(),
  rows: z.array(
    z.object({
      id: z.string(),
      service: z.string().nullable(),
      cluster: z.string().nullable(),
      node: z.string().nullable(),
      version: z.string().nullable(),
      policyRevision: z.string().nullable(),
      /** the classifier set revision the content filter applied (null: no content filter, or not reported) */
      classifierRevision: z.number().int().nullable(),
      rollout: z.enum(PROXY_ROLLOUT),
      intervalS: z.number().int(),
      firstSeenAt: z.date(),
      lastSeenAt: z.date(),
      lastHeartbeatAt: z.date().nullable(),
      lastEventAt: z.date().nullable(),
      tokenName: z.string().nullable(),
      tokenRevoked: z.boolean(),
      eventsPerMin: z.number(),
      silent: z.boolean(),
    }),
  ),
  /** the whole fleet, whatever the filters */
  fleet: z.object({ proxies: z.number().int(), silent: z.number().int(), eventsPerMin: z.number() }),
  /** what the filters can choose from, over the whole fleet, most common first; null = never reported */
  facets: z.object({ versions: facet, clusters: facet, revisions: facet }),
});
export type ProxyList = z.infer<typeof proxyListOutput>;
export type ProxyRow = ProxyList['rows'][number];
