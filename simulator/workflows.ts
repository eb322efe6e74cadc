import type { Persona } from './population';

/** One state of a workflow: the request a person makes there and where they go next. */
export interface Step {
  /** `ns/name METHOD /template` of an endpoint the internet can reach */
  request: string;
  /** parameters chosen anew at this step (a different product); others carry over from earlier steps */
  fresh?: string[];
  /** next state → weight; `exit` ends the session */
  next: Record<string, number>;
  /** also fetched from outside with this probability (images the CDN did not have) */
  assets?: number;
}

export interface Workflow {
  start: Record<string, number>;
  states: Record<string, Step>;
  /** median think time between steps, seconds */
  thinkS: number;
}

const IMAGE = 'shop/media GET /img/{imageId}/{width}.webp';
export const ASSET_REQUEST = IMAGE;

/**
 * Benign journeys as Markov chains over endpoints. Checkout is only reached from a cart, the
 * cart from adding an item (or from a cart kept from an earlier visit), the back office only
 * by staff: the order attackers break (anomalous_sequence) is the order these chains keep.
 */
export const WORKFLOWS: Record<Persona | 'visitor', Workflow> = {
  web: {
    thinkS: 9,
    start: { home: 45, search: 20, product: 20, category: 10, account: 5 },
    states: {
      home: { request: 'edge/web GET /', next: { category: 30, search: 25, product: 20, account: 5, exit: 20 }, assets: 0.4 },
      category: { request: 'edge/web GET /c/{categorySlug}', fresh: ['categorySlug'], next: { product: 55, category: 10, search: 10, exit: 25 }, assets: 0.4 },
      search: { request: 'edge/web GET /search', fresh: ['q'], next: { product: 50, search: 20, exit: 30 } },
      product: { request: 'edge/web GET /p/{slug}', fresh: ['productId', 'slug', 'sku'], next: { product: 20, add: 20, category: 10, search: 15, exit: 35 }, assets: 0.5 },
      add: { request: 'edge/web POST /cart/add', next: { cart: 45, product: 25, search: 10, exit: 20 } },
      cart: { request: 'edge/web GET /cart', next: { checkout: 50, product: 20, exit: 30 } },
      checkout: { request: 'edge/web GET /checkout', next: { place: 75, cart: 10, exit: 15 } },
      place: { request: 'edge/web POST /checkout/place', fresh: ['checkoutId', 'orderId'], next: { account: 25, home: 15, exit: 60 } },
      account: { request: 'edge/web GET /account', next: { order: 40, home: 20, exit: 40 } },
      order: { request: 'edge/web GET /account/orders/{orderId}', next: { home: 30, exit: 70 } },
    },
  },
  visitor: {
    thinkS: 8,
    start: { home: 40, product: 35, search: 15, category: 10 },
    states: {
      home: { request: 'edge/web GET /', next: { category: 35, search: 25, product: 20, exit: 20 }, assets: 0.4 },
      category: { request: 'edge/web GET /c/{categorySlug}', fresh: ['categorySlug'], next: { product: 55, category: 10, search: 10, exit: 25 }, assets: 0.4 },
      search: { request: 'edge/web GET /search', fresh: ['q'], next: { product: 50, search: 20, exit: 30 } },
      product: { request: 'edge/web GET /p/{slug}', fresh: ['productId', 'slug', 'sku'], next: { product: 25, add: 10, category: 10, search: 15, exit: 40 }, assets: 0.5 },
      add: { request: 'edge/web POST /cart/add', next: { cart: 50, product: 25, exit: 25 } },
      cart: { request: 'edge/web GET /cart', next: { login: 40, product: 20, exit: 40 } },
      login: { request: 'edge/web GET /login', next: { exit: 100 } },
    },
  },
  app: {
    thinkS: 7,
    start: { featured: 35, suggest: 20, orders: 10, me: 10, recs: 10, wishlist: 5, cart: 5, category: 5 },
    states: {
      featured: { request: 'edge/gateway GET /api/v2/products/featured', next: { suggest: 30, product: 30, category: 20, recs: 10, exit: 10 }, assets: 0.3 },
      category: { request: 'edge/gateway GET /api/v1/categories/{categorySlug}/products', fresh: ['categorySlug'], next: { product: 60, category: 15, exit: 25 } },
      suggest: { request: 'edge/gateway GET /api/v2/search/suggest', fresh: ['q'], next: { search: 90, exit: 10 } },
      search: { request: 'edge/gateway GET /api/v2/search', next: { product: 60, suggest: 20, exit: 20 } },
      product: { request: 'edge/gateway GET /api/v2/products/{productId}', fresh: ['productId', 'slug', 'sku'], next: { reviews: 15, similar: 10, add: 20, product: 15, wish: 5, exit: 35 }, assets: 0.3 },
      reviews: { request: 'edge/gateway GET /api/v2/products/{productId}/reviews', next: { product: 30, add: 20, review: 3, exit: 47 } },
      review: { request: 'edge/gateway POST /api/v2/products/{productId}/reviews', next: { product: 40, exit: 60 } },
      similar: { request: 'edge/gateway GET /api/v2/products/{productId}/similar', next: { product: 70, exit: 30 } },
      add: { request: 'edge/gateway POST /api/v1/cart/items', fresh: ['itemId'], next: { cart: 50, product: 30, exit: 20 } },
      cart: { request: 'edge/gateway GET /api/v1/cart', next: { promo: 10, checkout: 50, remove: 10, exit: 30 } },
      promo: { request: 'edge/gateway POST /api/v1/cart/promotions', fresh: ['code'], next: { checkout: 60, cart: 20, exit: 20 } },
      remove: { request: 'edge/gateway DELETE /api/v1/cart/items/{itemId}', next: { cart: 50, exit: 50 } },
      checkout: { request: 'edge/gateway POST /api/v1/checkout', fresh: ['checkoutId'], next: { pay: 80, exit: 20 } },
      pay: { request: 'edge/gateway POST /api/v1/checkout/{checkoutId}/pay', fresh: ['orderId'], next: { orders: 30, exit: 70 } },
      orders: { request: 'edge/gateway GET /api/v1/orders', next: { order: 60, exit: 40 } },
      order: { request: 'edge/gateway GET /api/v1/orders/{orderId}', fresh: ['orderId'], next: { tracking: 40, invoice: 10, return: 3, exit: 47 } },
      return: { request: 'edge/gateway POST /api/v1/orders/{orderId}/returns', next: { order: 20, exit: 80 } },
      tracking: { request: 'edge/gateway GET /api/v1/orders/{orderId}/tracking', next: { exit: 100 } },
      invoice: { request: 'edge/gateway GET /api/v1/orders/{orderId}/invoice.pdf', next: { exit: 100 } },
      me: { request: 'edge/gateway GET /api/v1/users/me', next: { addresses: 30, cards: 20, orders: 30, exit: 20 } },
      addresses: { request: 'edge/gateway GET /api/v1/users/me/addresses', next: { me: 20, exit: 80 } },
      cards: { request: 'edge/gateway GET /api/v1/users/me/payment-methods', next: { addCard: 10, exit: 90 } },
      addCard: { request: 'edge/gateway POST /api/v1/users/me/payment-methods', next: { exit: 100 } },
      wish: { request: 'edge/gateway PUT /api/v1/wishlist/{productId}', next: { wishlist: 30, product: 30, exit: 40 } },
      wishlist: { request: 'edge/gateway GET /api/v1/wishlist', next: { product: 50, exit: 50 } },
      recs: { request: 'edge/gateway GET /api/v1/recommendations', next: { product: 70, exit: 30 } },
    },
  },
  driver: {
    thinkS: 12,
    start: { vehicles: 100 },
    states: {
      vehicles: { request: 'edge/gateway GET /api/v1/vehicles', next: { vehicle: 90, exit: 10 } },
      vehicle: { request: 'edge/gateway GET /api/v1/vehicles/{vin}', next: { trips: 30, unlock: 30, service: 10, exit: 30 } },
      trips: { request: 'edge/gateway GET /api/v1/vehicles/{vin}/trips', next: { trip: 50, exit: 50 } },
      trip: { request: 'edge/gateway GET /api/v1/vehicles/{vin}/trips/{tripDate}', fresh: ['tripDate'], next: { trip: 20, exit: 80 } },
      unlock: { request: 'edge/gateway POST /api/v1/vehicles/{vin}/unlock', next: { vehicle: 20, exit: 80 } },
      service: { request: 'edge/gateway GET /api/v1/vehicles/{vin}/service-history', next: { exit: 100 } },
    },
  },
  staff: {
    thinkS: 20,
    start: { customers: 45, kyc: 15, audit: 10, config: 5, order: 15, seller: 5, product: 5 },
    states: {
      customers: { request: 'ops/admin-api GET /admin/v1/customers', next: { customer: 60, customers: 20, exit: 20 } },
      customer: { request: 'ops/admin-api GET /admin/v1/customers/{userId}', fresh: ['userId'], next: { customerOrders: 30, cards: 8, impersonate: 2, customers: 30, exit: 30 } },
      customerOrders: { request: 'ops/admin-api GET /admin/v1/customers/{userId}/orders', next: { order: 40, exit: 60 } },
      cards: { request: 'ops/admin-api GET /admin/v1/customers/{userId}/payment-methods', next: { customer: 30, exit: 70 } },
      impersonate: { request: 'ops/admin-api POST /admin/v1/customers/{userId}/impersonate', next: { exit: 100 } },
      order: { request: 'ops/admin-api GET /admin/v1/orders/{orderId}', fresh: ['orderId'], next: { refund: 10, order: 20, exit: 70 } },
      refund: { request: 'ops/admin-api POST /admin/v1/orders/{orderId}/refund', next: { exit: 100 } },
      kyc: { request: 'ops/admin-api GET /admin/v1/kyc/pending', next: { customer: 30, exit: 70 } },
      audit: { request: 'ops/admin-api GET /admin/v1/audit', next: { exit: 100 } },
      config: { request: 'ops/admin-api GET /admin/v1/config', next: { keys: 20, exit: 80 } },
      keys: { request: 'ops/admin-api GET /admin/v1/api-keys', next: { exit: 100 } },
      seller: { request: 'ops/admin-api GET /admin/v1/sellers/{sellerId}', fresh: ['sellerId'], next: { seller: 30, exit: 70 } },
      product: { request: 'ops/admin-api PUT /admin/v1/products/{productId}', fresh: ['productId', 'slug', 'sku'], next: { product: 40, exit: 60 } },
    },
  },
};
