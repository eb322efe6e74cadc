import type { ServiceDef } from './types';

/** Payments, card vault, fraud scoring, the ledger, refunds, seller payouts, PSP webhooks. */
export const PAYMENTS: ServiceDef[] = [
  {
    name: 'payments/payments',
    lang: 'java',
    replicas: 3,
    endpoints: [
      {
        route: 'POST /v1/payments',
        in: ['credit_card $.card.number'],
        ms: 60, // the card network round trip
        fail: [[402, 0.03]],
        calls: ['payments/fraud POST /v1/assessments', 'payments/vault GET /v1/tokens/{cardToken} ?0.6', 'payments/ledger POST /v1/entries'],
      },
      { route: 'GET /v1/payments/{paymentId:uuid}' },
      { route: 'POST /v1/payments/{paymentId:uuid}/capture', kind: 'action', calls: ['payments/ledger POST /v1/entries'] },
      { route: 'POST /v1/payments/{paymentId:uuid}/refund', kind: 'action', calls: ['payments/refunds POST /v1/refunds'] },
      { route: 'GET /v1/customers/{userId:uuid}/payments', query: 'page' },
      { route: 'GET /v1/payments/{paymentId:uuid}/receipt.json', kind: 'export', out: ['email $.customer.email'] },
    ],
  },
  {
    name: 'payments/vault',
    lang: 'rust',
    replicas: 2,
    endpoints: [
      { route: 'GET /v1/customers/{userId:uuid}/cards', auth: true },
      { route: 'POST /v1/customers/{userId:uuid}/cards', auth: true, in: ['credit_card $.card.number'], fail: [[422, 0.04]] },
      { route: 'DELETE /v1/customers/{userId:uuid}/cards/{cardToken:hex24}', auth: true },
      { route: 'GET /v1/tokens/{cardToken:hex24}', ms: 3, out: ['credit_card $.card.number'] },
      { route: 'POST /v1/tokens', in: ['credit_card $.card.number'] },
    ],
  },
  {
    name: 'payments/fraud',
    lang: 'python',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/assessments', ms: 40, calls: ['identity/users GET /v1/users/{userId} ?0.3 !'] },
      { route: 'GET /v1/assessments/{assessmentId:uuid}' },
      { route: 'GET /v1/users/{userId:uuid}/risk', ms: 15 },
      { route: 'GET /v1/rules' },
      { route: 'POST /v1/rules/reload', kind: 'action', ms: 150 },
    ],
  },
  {
    name: 'payments/ledger',
    lang: 'go',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/entries', ms: 8 },
      { route: 'GET /v1/entries/{entryId:uuid}' },
      { route: 'GET /v1/accounts/{accountId:int}/balance', ms: 4 },
      { route: 'GET /v1/accounts/{accountId:int}/entries', query: 'range' },
      { route: 'GET /v1/accounts/{accountId:int}/statement.json', kind: 'export', ms: 120, out: ['iban $.account.iban'] },
      { route: 'GET /v1/reports/daily/{day:date}', kind: 'heavy', ms: 450 },
      { route: 'POST /v1/reconciliations', kind: 'heavy', ms: 600 },
    ],
  },
  {
    name: 'payments/refunds',
    lang: 'java',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/refunds', calls: ['payments/ledger POST /v1/entries', 'ops/notifications POST /v1/messages !'] },
      { route: 'GET /v1/refunds/{refundId:uuid}' },
      { route: 'GET /v1/orders/{orderId:int}/refunds' },
      { route: 'POST /v1/refunds/{refundId:uuid}/approve', kind: 'action', auth: true },
      { route: 'GET /v1/refunds/pending', auth: true, query: 'page' },
    ],
  },
  {
    name: 'payments/payouts',
    lang: 'java',
    replicas: 2,
    endpoints: [
      { route: 'GET /v1/sellers/{sellerId:int}/payouts', auth: true, query: 'range' },
      { route: 'POST /v1/payouts', auth: true, in: ['iban $.destination.iban'], calls: ['payments/ledger POST /v1/entries'] },
      { route: 'GET /v1/payouts/{payoutId:uuid}', auth: true, out: ['iban $.destination.iban'] },
      { route: 'GET /v1/sellers/{sellerId:int}/bank-account', auth: true, out: ['iban $.iban', 'ssn $.tax_id'] },
      { route: 'PUT /v1/sellers/{sellerId:int}/bank-account', auth: true, in: ['iban $.iban'] },
      { route: 'POST /v1/payouts/run', kind: 'heavy', ms: 400, calls: ['payments/ledger POST /v1/entries', 'ops/notifications POST /v1/messages !'] },
    ],
  },
  {
    name: 'payments/webhooks',
    lang: 'node',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/psp/stripe/events', kind: 'action', calls: ['payments/payments GET /v1/payments/{paymentId}', 'payments/ledger POST /v1/entries ?0.5'] },
      { route: 'POST /v1/psp/adyen/notifications', kind: 'action', calls: ['payments/payments POST /v1/payments/{paymentId}/capture ?0.7'] },
      { route: 'GET /v1/deliveries/{deliveryId:uuid}', auth: true },
      { route: 'POST /v1/deliveries/{deliveryId:uuid}/retry', kind: 'action', auth: true },
      { route: 'GET /v1/deliveries', auth: true, query: 'page' },
    ],
  },
];
