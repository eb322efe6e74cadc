import type { ParamType, QueryKind } from './catalog/types';
import { alnum, hex, rng, seedOf, uuid, zipf, type Prng } from './random';
import type { Param } from './topology';
import {
  ADJECTIVES, CATEGORIES, COUNTRIES, NOUNS, PROMO_CODES, REPORTS, SEARCH_TERMS, TEMPLATES, VEHICLE_MODELS, WORKSHOPS,
} from './words';

/** Request parameters by name: a trace passes them down, a session keeps them between steps. */
export type Params = Map<string, string>;

export const PRODUCT_BASE = 10_000;
export const PRODUCT_COUNT = 40_000;
const hotProduct = zipf(PRODUCT_COUNT, 1.05);

/** A product id by popularity: rank 0 is the best seller; ranks map to ids scattered over the range. */
export function popularProduct(r: Prng): number {
  return PRODUCT_BASE + ((hotProduct(r) * 7919) % PRODUCT_COUNT);
}

/** Sets a product's id and the values derived from it (slug, SKU, category). */
export function setProduct(params: Params, id: number) {
  const h = seedOf('product', id);
  params.set('productId', String(id));
  params.set('slug', `${ADJECTIVES[h % ADJECTIVES.length]}-${NOUNS[(h >>> 8) % NOUNS.length]}-${id}`);
  params.set('sku', `SKU-${id.toString(36).toUpperCase()}${((h >>> 16) % 36).toString(36).toUpperCase()}`);
  if (!params.has('categorySlug')) params.set('categorySlug', CATEGORIES[(h >>> 4) % CATEGORIES.length]);
}

const ALNUM_UPPER = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A value for a parameter the trace has no value for yet. The name decides the domain (order
 * ids are seven digits, warehouse ids small); the type is the fallback. Values never collide
 * with a literal sibling (`/users/me`): numbers, UUIDs and ids with digits only.
 */
export function freshValue(param: Param, r: Prng, params: Params, ts: number): string {
  switch (param.name) {
    case 'productId':
    case 'slug':
    case 'sku':
      setProduct(params, popularProduct(r));
      return params.get(param.name)!;
    case 'categorySlug': return r.pick(CATEGORIES);
    case 'orderId': return String(4_100_000 + r.int(900_000));
    case 'orderNumber': return `ORD-${isoDay(ts).slice(0, 4)}-${String(r.int(1_000_000)).padStart(6, '0')}`;
    case 'warehouseId': return String(1 + r.int(12));
    case 'accountId': return String(100_000 + r.int(100_000));
    case 'sellerId': return String(2000 + r.int(1000));
    case 'addressId': return String(1 + r.int(9_999_999));
    case 'campaignId': return String(1 + r.int(300));
    case 'dashboardId': return String(1 + r.int(40));
    case 'width': return String(r.pick([160, 320, 640, 1280]));
    case 'code': return r.chance(0.85) ? r.pick(PROMO_CODES) : alnum(r, 8, ALNUM_UPPER);
    case 'country': return r.pick(COUNTRIES);
    case 'modelSlug': return r.pick(VEHICLE_MODELS);
    case 'workshopSlug': return r.pick(WORKSHOPS);
    case 'reportSlug': return r.pick(REPORTS);
    case 'templateSlug': return r.pick(TEMPLATES);
    case 'shareSlug': return `${alnum(r, 7)}${r.int(1000)}`;
    case 'trackingNumber': return `1Z${alnum(r, 6, ALNUM_UPPER)}${String(r.int(1e10)).padStart(10, '0')}`;
    case 'tripDate':
    case 'day': return isoDay(ts - r.int(30) * 86_400_000);
    case 'sessionId':
    case 'resetToken': return hex(r, 32);
    case 'asset': return `${hex(r, 10)}`;
    case 'vin': return vinOf(r.int(100_000));
    default: return byType(param.type, r, ts);
  }
}

function byType(type: ParamType, r: Prng, ts: number): string {
  switch (type) {
    case 'int': return String(1 + r.int(999_999));
    case 'uuid': return uuid(r);
    case 'hex24': return objectId(r, ts);
    case 'hex': return hex(r, 16);
    case 'slug': return `${r.pick(ADJECTIVES)}-${r.pick(NOUNS)}`;
    case 'user': return `user${10_000 + r.int(90_000)}x`;
    case 'date': return isoDay(ts);
    case 'sku': return `SKU-${alnum(r, 5, ALNUM_UPPER)}${r.int(10)}`;
    case 'vin': return vinOf(r.int(100_000));
    case 'email': return `${alnum(r, 8)}@mail.example`;
    case 'code': return alnum(r, 8, ALNUM_UPPER);
    case 'country': return r.pick(COUNTRIES);
  }
}

/** A MongoDB ObjectId: 4 bytes of creation time, then 8 random bytes. */
function objectId(r: Prng, ts: number): string {
  const created = Math.floor((ts - r.int(400) * 86_400_000) / 1000);
  return created.toString(16).padStart(8, '0') + hex(r, 16);
}

/** A 17-character vehicle identification number, stable for a vehicle index. */
export function vinOf(vehicle: number): string {
  const r = rng('vin', vehicle);
  const wmi = r.pick(['WVW', 'WBA', 'VF1', 'YV1', 'ZFA', 'TMB']);
  return `${wmi}${alnum(r, 6, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789')}${alnum(r, 2, 'LMNPRST')}${String(vehicle).padStart(6, '0')}`;
}

/** The query string a request of this kind carries, if any. */
export function queryFor(kind: QueryKind | null, r: Prng, params: Params, ts: number): string | null {
  switch (kind) {
    case null: return null;
    case 'page': return r.chance(0.6) ? `page=${1 + Math.floor(r.next() * r.next() * 6)}&limit=${r.pick([20, 20, 50])}` : null;
    case 'search': {
      const q = params.get('q') ?? r.pick(SEARCH_TERMS);
      params.set('q', q); // a suggestion and the search after it ask for the same thing
      return `q=${encodeURIComponent(q).replaceAll('%20', '+')}${r.chance(0.2) ? `&page=${2 + r.int(3)}` : ''}`;
    }
    case 'filter': return r.chance(0.7) ? `sort=${r.pick(['relevance', 'price_asc', 'price_desc', 'newest'])}&page=${1 + r.int(3)}` : null;
    case 'range': return r.chance(0.8) ? `from=${isoDay(ts - (1 + r.int(30)) * 86_400_000)}&to=${isoDay(ts)}` : null;
    case 'fields': return 'fields=id,name,price';
  }
}

/** List size a response carries: the `limit` asked for, else a typical page. */
export function itemsOf(query: string | null, r: Prng): number {
  const m = query ? /(?:limit|per_page)=(\d+)/.exec(query) : null;
  const limit = m ? Number(m[1]) : 20;
  return Math.max(1, Math.min(limit, Math.round(limit * (0.4 + 0.6 * r.next()))));
}
