import type { ServiceDef } from './types';

/** Notifications, reporting, the staff back office (admin API) and the audit trail. */
export const OPS: ServiceDef[] = [
  {
    name: 'ops/notifications',
    lang: 'node',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/messages', ms: 6, in: ['email $.to', 'phone $.sms.to'] },
      { route: 'GET /v1/messages/{messageId:uuid}' },
      { route: 'GET /v1/users/{userId:uuid}/messages', auth: true, query: 'page', out: ['email $.items[*].to'] },
      { route: 'POST /v1/templates/{templateSlug:slug}/render', kind: 'action', ms: 15 },
      { route: 'GET /v1/templates' },
    ],
  },
  {
    name: 'ops/reporting',
    lang: 'python',
    replicas: 2,
    endpoints: [
      { route: 'GET /v1/reports', auth: true },
      { route: 'POST /v1/reports/{reportSlug:slug}/runs', kind: 'heavy', auth: true, ms: 700, calls: ['payments/ledger GET /v1/reports/daily/{day}', 'shop/orders GET /v1/orders/recent'] },
      { route: 'GET /v1/runs/{runId:uuid}', auth: true },
      { route: 'GET /v1/runs/{runId:uuid}/export.csv', kind: 'export', auth: true, out: ['email $.rows[*].email'] },
      { route: 'GET /v1/dashboards/{dashboardId:int}', auth: true, ms: 60 },
      { route: 'GET /v1/kpis/{day:date}', auth: true, ms: 45 },
    ],
  },
  {
    name: 'ops/admin-api',
    lang: 'java',
    replicas: 2,
    endpoints: [
      { route: 'GET /admin/v1/customers', auth: true, query: 'page', out: ['email $.items[*].email', 'phone $.items[*].phone'], calls: ['identity/users GET /v1/users', 'ops/audit-trail POST /v1/records !'] },
      {
        route: 'GET /admin/v1/customers/{userId:uuid}',
        auth: true,
        out: ['email $.email', 'phone $.phone'],
        parallel: true,
        calls: ['identity/users GET /v1/users/{userId}', 'shop/orders GET /v1/users/{userId}/orders', 'ops/audit-trail POST /v1/records !'],
      },
      { route: 'GET /admin/v1/customers/{userId:uuid}/orders', auth: true, calls: ['shop/orders GET /v1/users/{userId}/orders'] },
      { route: 'GET /admin/v1/customers/{userId:uuid}/payment-methods', auth: true, out: ['credit_card $.items[*].number'], calls: ['payments/vault GET /v1/customers/{userId}/cards', 'ops/audit-trail POST /v1/records !'] },
      { route: 'POST /admin/v1/customers/{userId:uuid}/impersonate', kind: 'action', auth: true, out: ['jwt $.token'], calls: ['identity/sessions POST /v1/sessions', 'ops/audit-trail POST /v1/records'] },
      { route: 'GET /admin/v1/orders/{orderId:int}', auth: true, calls: ['shop/orders GET /v1/orders/{orderId}', 'payments/refunds GET /v1/orders/{orderId}/refunds ?0.5'] },
      { route: 'POST /admin/v1/orders/{orderId:int}/refund', kind: 'action', auth: true, calls: ['shop/orders POST /v1/orders/{orderId}/cancel', 'ops/audit-trail POST /v1/records'] },
      { route: 'GET /admin/v1/sellers/{sellerId:int}', auth: true, calls: ['payments/payouts GET /v1/sellers/{sellerId}/bank-account', 'payments/payouts GET /v1/sellers/{sellerId}/payouts'] },
      { route: 'PUT /admin/v1/products/{productId:int}', auth: true, calls: ['shop/catalog PUT /v2/products/{productId}', 'shop/pricing PUT /v1/prices/{sku} ?0.5', 'ops/audit-trail POST /v1/records'] },
      { route: 'GET /admin/v1/kyc/pending', auth: true, calls: ['identity/kyc GET /v1/verifications/pending'] },
      { route: 'GET /admin/v1/api-keys', auth: true, out: ['api_key $.items[*].key'] },
      { route: 'GET /admin/v1/config', auth: true, ms: 3 },
      { route: 'GET /admin/v1/audit', auth: true, query: 'range', calls: ['ops/audit-trail GET /v1/records'] },
    ],
  },
  {
    name: 'ops/audit-trail',
    lang: 'go',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/records', ms: 3 },
      { route: 'GET /v1/records', query: 'range', ms: 40 },
      { route: 'GET /v1/records/{recordId:hex24}' },
      { route: 'GET /v1/subjects/{userId:uuid}/records', query: 'page' },
      { route: 'GET /v1/exports/{day:date}.json', kind: 'export', ms: 300 },
    ],
  },
];
