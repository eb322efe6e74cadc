// API trees of apidisc2's own, beside the real specs: REST collections with nested
// sub-collections, actions, and chains of named containers (`/tenants/{tenantName}/projects/
// {projectSlug}/environments/{environmentName}/…`) whose values are word-like at every level.
// Each service names its parameters in one style (`{orderId}`, `{order_id}`, `{id}` at the top,
// `{orderKey}`). The result has the form of a loaded spec, so it goes through the same steps.
import type { Operation, ParamSchema } from './api-model';
import { Prng } from './prng';
import type { LoadedSpec } from './spec-source';
import { ADJECTIVES, NOUNS } from './word-lists';

/** [plural, singular] resource nouns */
const RESOURCES: readonly (readonly [string, string])[] = [
  ['orders', 'order'], ['invoices', 'invoice'], ['shipments', 'shipment'], ['tickets', 'ticket'], ['devices', 'device'],
  ['members', 'member'], ['playlists', 'playlist'], ['recipes', 'recipe'], ['vehicles', 'vehicle'], ['warehouses', 'warehouse'],
  ['courses', 'course'], ['patients', 'patient'], ['bookings', 'booking'], ['listings', 'listing'], ['campaigns', 'campaign'],
  ['reviews', 'review'], ['vendors', 'vendor'], ['parcels', 'parcel'], ['meters', 'meter'], ['sensors', 'sensor'],
  ['tracks', 'track'], ['albums', 'album'], ['lessons', 'lesson'], ['claims', 'claim'], ['quotes', 'quote'],
  ['payouts', 'payout'], ['refunds', 'refund'], ['coupons', 'coupon'], ['customers', 'customer'], ['products', 'product'],
  ['datasets', 'dataset'], ['artifacts', 'artifact'], ['phones', 'phone'], ['contracts', 'contract'], ['routes', 'route'],
];

/** [plural, singular] containers named by people (their values read like words) */
const CONTAINERS: readonly (readonly [string, string])[] = [
  ['tenants', 'tenant'], ['projects', 'project'], ['environments', 'environment'], ['workspaces', 'workspace'],
  ['teams', 'team'], ['stores', 'store'], ['clusters', 'cluster'], ['boards', 'board'], ['vaults', 'vault'], ['pipelines', 'pipeline'],
];

const ACTIONS = ['cancel', 'approve', 'archive', 'restore', 'publish', 'resend', 'verify', 'duplicate', 'lock', 'unlock', 'assign', 'close'];

type Style = 'camel' | 'snake' | 'bare-top' | 'key';

function paramName(singular: string, style: Style, top: boolean, container: boolean): string {
  if (container) return style === 'snake' ? `${singular}_name` : `${singular}${style === 'key' ? 'Slug' : 'Name'}`;
  if (style === 'bare-top' && top) return 'id';
  if (style === 'snake') return `${singular}_id`;
  return `${singular}${style === 'key' ? 'Key' : 'Id'}`;
}

export function syntheticSpec(index: number, seed: string): LoadedSpec {
  const rng = new Prng('apidisc2', 'synthetic', seed, index);
  const id = `apidisc2-synthetic/${rng.one(ADJECTIVES)}-${rng.one(NOUNS)}-${index}`;
  const style = rng.byWeight([['camel', 4], ['snake', 3], ['bare-top', 2], ['key', 1]] as const);
  const intIds = rng.chance(0.3);
  const ops: Operation[] = [];
  const op = (method: string, path: string, params: Map<string, ParamSchema>) =>
    ops.push({ method, path, pathParams: params, query: [], success: method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200 });
  const schemaFor = (container: boolean): ParamSchema => (intIds && !container && rng.chance(0.8) ? { type: 'integer' } : { type: 'string' });

  // an optional chain of named containers in front of the resources
  let prefix = '';
  const prefixParams = new Map<string, ParamSchema>();
  if (rng.chance(0.5)) {
    for (const [plural, singular] of rng.permute([...CONTAINERS]).slice(0, rng.between(1, 3))) {
      const name = paramName(singular, style, false, true);
      op('GET', `${prefix}/${plural}`, new Map(prefixParams));
      prefix += `/${plural}/{${name}}`;
      prefixParams.set(name, schemaFor(true));
      op('GET', prefix, new Map(prefixParams));
    }
  }
  for (const [plural, singular] of rng.permute([...RESOURCES]).slice(0, rng.between(3, 8))) {
    const top = `${prefix}/${plural}`;
    const name = paramName(singular, style, prefix === '', false);
    const item = `${top}/{${name}}`;
    const params = new Map([...prefixParams, [name, schemaFor(false)]]);
    op('GET', top, new Map(prefixParams));
    if (rng.chance(0.7)) op('POST', top, new Map(prefixParams));
    for (const m of ['GET', 'PATCH', 'DELETE']) if (m === 'GET' || rng.chance(0.5)) op(m, item, params);
    for (const [subPlural, subSingular] of rng.permute(RESOURCES.filter(([p]) => p !== plural)).slice(0, rng.between(0, 3))) {
      const subName = paramName(subSingular, style === 'bare-top' ? 'camel' : style, false, false);
      const subParams = new Map([...params, [subName, schemaFor(false)]]);
      op('GET', `${item}/${subPlural}`, params);
      op('GET', `${item}/${subPlural}/{${subName}}`, subParams);
      if (rng.chance(0.4)) op('POST', `${item}/${subPlural}/{${subName}}/${rng.one(ACTIONS)}`, subParams);
    }
    for (const action of rng.permute([...ACTIONS]).slice(0, rng.between(0, 2))) op('POST', `${item}/${action}`, params);
  }
  const base = rng.byWeight([[`/api/v${rng.between(1, 3)}`, 3], [`/${rng.one(NOUNS)}/${rng.between(1, 4)}`, 1], ['', 2]] as const);
  return { id, serverPaths: [base], operations: ops };
}
