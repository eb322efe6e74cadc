import type { ServiceDef } from './types';

/** Shipping quotes and labels, parcel tracking, warehouses. */
export const LOGISTICS: ServiceDef[] = [
  {
    name: 'logistics/shipping',
    lang: 'go',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/quotes', kind: 'heavy', ms: 110 }, // rates from every carrier
      { route: 'POST /v1/shipments', calls: ['logistics/warehouses POST /v1/warehouses/{warehouseId}/picklists ?0.3 !'] },
      { route: 'GET /v1/shipments/{shipmentId:uuid}' },
      { route: 'GET /v1/shipments/{shipmentId:uuid}/label.pdf', kind: 'export', ms: 90 },
      { route: 'POST /v1/shipments/{shipmentId:uuid}/cancel', kind: 'action' },
      { route: 'GET /v1/carriers', ms: 2 },
    ],
  },
  {
    name: 'logistics/tracking',
    lang: 'node',
    replicas: 2,
    endpoints: [
      { route: 'GET /v1/shipments/by-order/{orderId:int}', fail: [[404, 0.1]] },
      { route: 'GET /v1/track/{trackingNumber:code}', fail: [[404, 0.05]] },
      { route: 'GET /v1/track/{trackingNumber:code}/eta', ms: 20 },
      { route: 'GET /v1/shipments/{shipmentId:uuid}/events' },
      { route: 'POST /v1/carrier-events', kind: 'action', ms: 4, calls: ['ops/notifications POST /v1/messages ?0.2 !'] },
    ],
  },
  {
    name: 'logistics/warehouses',
    lang: 'java',
    replicas: 2,
    endpoints: [
      { route: 'GET /v1/warehouses', ms: 3 },
      { route: 'GET /v1/warehouses/{warehouseId:int}' },
      { route: 'GET /v1/warehouses/{warehouseId:int}/picklists/{day:date}' },
      { route: 'POST /v1/warehouses/{warehouseId:int}/picklists' },
      { route: 'PATCH /v1/picklists/{picklistId:hex24}' },
    ],
  },
];
