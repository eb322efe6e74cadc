import type { ServiceDef } from './types';

/** The connected-vehicle API: vehicles, their telematics units, trips and servicing. */
export const MOBILITY: ServiceDef[] = [
  {
    name: 'mobility/vehicles',
    lang: 'java',
    replicas: 3,
    endpoints: [
      { route: 'GET /v1/owners/{userId:uuid}/vehicles', auth: true },
      { route: 'GET /v1/vehicles/{vin:vin}', auth: true },
      { route: 'PATCH /v1/vehicles/{vin:vin}', auth: true },
      { route: 'GET /v1/vehicles/{vin:vin}/status', auth: true, calls: ['mobility/telematics GET /v1/devices/{vin}/state'] },
      { route: 'GET /v1/vehicles/{vin:vin}/owner', auth: true, out: ['email $.owner.email', 'phone $.owner.phone'] },
      { route: 'POST /v1/vehicles/{vin:vin}/commands/unlock', kind: 'action', auth: true, fail: [[409, 0.03]], calls: ['mobility/telematics POST /v1/devices/{vin}/commands'] },
      { route: 'POST /v1/vehicles/{vin:vin}/commands/lock', kind: 'action', auth: true, calls: ['mobility/telematics POST /v1/devices/{vin}/commands'] },
      { route: 'GET /v1/models/{modelSlug:slug}' },
    ],
  },
  {
    name: 'mobility/telematics',
    lang: 'rust',
    replicas: 4,
    endpoints: [
      { route: 'POST /v1/devices/{vin:vin}/telemetry', kind: 'action', ms: 2, auth: true, calls: ['mobility/trips POST /v1/trips ?0.03 !'] },
      { route: 'GET /v1/devices/{vin:vin}/state', ms: 3 },
      { route: 'POST /v1/devices/{vin:vin}/commands', ms: 250, fail: [[504, 0.02]] },
      { route: 'GET /v1/devices/{vin:vin}/commands/{commandId:uuid}' },
      { route: 'POST /v1/devices/{vin:vin}/firmware/ack', kind: 'action', auth: true },
      { route: 'GET /v1/firmware/latest', ms: 2 },
    ],
  },
  {
    name: 'mobility/trips',
    lang: 'python',
    replicas: 2,
    endpoints: [
      { route: 'GET /v1/vehicles/{vin:vin}/trips', auth: true, query: 'range', ms: 30 },
      { route: 'GET /v1/vehicles/{vin:vin}/trips/{tripDate:date}', auth: true, ms: 25 },
      { route: 'POST /v1/trips' },
      { route: 'GET /v1/trips/{tripId:uuid}.json', kind: 'export', auth: true },
      { route: 'DELETE /v1/trips/{tripId:uuid}', auth: true },
    ],
  },
  {
    name: 'mobility/maintenance',
    lang: 'node',
    replicas: 2,
    endpoints: [
      { route: 'GET /v1/vehicles/{vin:vin}/records', auth: true },
      { route: 'POST /v1/vehicles/{vin:vin}/records', auth: true },
      { route: 'GET /v1/workshops/{workshopSlug:slug}' },
      { route: 'GET /v1/workshops/{workshopSlug:slug}/slots/{day:date}' },
      { route: 'POST /v1/bookings', auth: true, in: ['phone $.contact.phone'], calls: ['ops/notifications POST /v1/messages !'] },
    ],
  },
];
