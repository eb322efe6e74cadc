import { EDGE } from './edge';
import { IDENTITY } from './identity';
import { LOGISTICS } from './logistics';
import { MOBILITY } from './mobility';
import { OPS } from './ops';
import { PAYMENTS } from './payments';
import { SHOP } from './shop';
import type { JobDef, ServiceDef } from './types';

/**
 * The demo company: an online shop with a connected-vehicle app, on two clusters. Each
 * namespace lives in one cluster; calls between the clusters go through the multi-cluster mesh.
 */
export const CLUSTERS: Record<string, string[]> = {
  'prod-eu-west-1': ['edge', 'shop', 'identity', 'ops'],
  'prod-eu-central-1': ['payments', 'mobility', 'logistics'],
};

export const SERVICES: ServiceDef[] = [...EDGE, ...SHOP, ...IDENTITY, ...PAYMENTS, ...MOBILITY, ...LOGISTICS, ...OPS];

/** Services the internet reaches through the ingress, by the name it uses: their callers include `external`. */
export const PUBLIC_HOSTS: Record<string, string> = {
  'edge/gateway': 'api.meshward-shop.example',
  'edge/web': 'www.meshward-shop.example',
  'identity/auth': 'login.meshward-shop.example',
  'ops/admin-api': 'backoffice.meshward-shop.example',
  'mobility/telematics': 'telematics.meshward-shop.example',
  'payments/webhooks': 'hooks.meshward-shop.example',
  'logistics/tracking': 'track.meshward-shop.example',
  'shop/media': 'img.meshward-shop.example',
};

export const JOBS: JobDef[] = [
  { name: 'reporting-refresh', service: 'ops/reporting', everyMin: 15, calls: ['payments/ledger GET /v1/reports/daily/{day}', 'shop/orders GET /v1/orders/recent'] },
  { name: 'search-index', service: 'shop/search', everyMin: 5, calls: ['shop/catalog GET /v2/products', 'shop/catalog GET /v1/feeds/products/{productId}.json'], repeat: [2, 12] },
  { name: 'stock-sync', service: 'shop/inventory', everyMin: 2, calls: ['logistics/warehouses GET /v1/warehouses/{warehouseId}'], repeat: [1, 3] },
  { name: 'model-refresh', service: 'shop/recommendations', everyMin: 30, calls: ['shop/orders GET /v1/orders/recent', 'shop/catalog GET /v2/products'], repeat: [1, 4] },
  { name: 'payout-balances', service: 'payments/payouts', everyMin: 60, calls: ['payments/ledger GET /v1/accounts/{accountId}/balance'], repeat: [5, 20] },
  { name: 'reconciliation', service: 'payments/ledger', everyMin: 30, calls: ['payments/payments GET /v1/payments/{paymentId}'], repeat: [3, 10] },
  { name: 'device-poll', service: 'mobility/trips', everyMin: 5, calls: ['mobility/telematics GET /v1/devices/{vin}/state'], repeat: [3, 8] },
  { name: 'shipment-refresh', service: 'logistics/tracking', everyMin: 10, calls: ['logistics/shipping GET /v1/shipments/{shipmentId}'], repeat: [3, 10] },
  { name: 'session-risk', service: 'payments/fraud', everyMin: 10, calls: ['identity/sessions GET /v1/users/{userId}/sessions'], repeat: [2, 6] },
  // Renders the archive copy of every order's invoice, walking order ids in order: a machine reading records one after the other.
  { name: 'invoice-archive', service: 'ops/reporting', everyMin: 1, calls: ['shop/orders GET /v1/orders/{orderId}/invoice'], repeat: [2, 5], walk: { param: 'orderId', from: 4_100_000, size: 900_000 } },
];

export type { EndpointDef, EndpointKind, JobDef, ParamType, QueryKind, ServiceDef } from './types';
