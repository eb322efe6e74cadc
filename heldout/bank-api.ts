// Lumen Bank, a made-up US retail bank: its public hosts, internal services and routes. Routes
// are `:param` paths; `calls` name other routes by id (`?0.4`: on 40 % of requests, `~`: a
// failure there is absorbed). Sensitive data as `class path` (`[]` in the path: one per item).

export type Auth = 'none' | 'guest' | 'customer' | 'staff' | 'partner' | 'service';
export type Shape = 'read' | 'list' | 'write' | 'action' | 'page' | 'static' | 'heavy' | 'export';

export interface ServiceDef {
  /** `namespace/name` */
  key: string;
  replicas: number;
  /** the HTTP client its calls go out with */
  client: string;
  /** the internet's name for it, when it is public */
  host?: string;
  cluster: 'use1' | 'usc1';
}

export interface RouteDef {
  id: string;
  svc: string;
  method: string;
  path: string;
  shape: Shape;
  /** median handler time, ms */
  ms: number;
  auth: Auth;
  calls?: string[];
  out?: string[];
  inn?: string[];
}

const JAVA = 'Java-http-client/21.0.3';
const KOTLIN = 'okhttp/4.12.0';
const GO = 'Go-http-client/1.1';
const PY = 'aiohttp/3.9.5';
const NODE = 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)';

export const SERVICES: ServiceDef[] = [
  { key: 'web/site', replicas: 3, client: NODE, host: 'www.lumenbank.example', cluster: 'use1' },
  { key: 'identity/login', replicas: 3, client: GO, host: 'auth.lumenbank.example', cluster: 'use1' },
  { key: 'identity/mfa', replicas: 2, client: GO, cluster: 'use1' },
  { key: 'identity/sessions', replicas: 3, client: GO, cluster: 'use1' },
  { key: 'gateway/edge-api', replicas: 5, client: KOTLIN, host: 'api.lumenbank.example', cluster: 'use1' },
  { key: 'platform/config', replicas: 2, client: GO, cluster: 'use1' },
  { key: 'customers/profile', replicas: 3, client: JAVA, cluster: 'use1' },
  { key: 'accounts/core', replicas: 3, client: JAVA, cluster: 'usc1' },
  { key: 'accounts/balances', replicas: 3, client: GO, cluster: 'usc1' },
  { key: 'ledger/history', replicas: 4, client: JAVA, cluster: 'usc1' },
  { key: 'payments/payees', replicas: 2, client: KOTLIN, cluster: 'usc1' },
  { key: 'payments/transfers', replicas: 3, client: KOTLIN, cluster: 'usc1' },
  { key: 'payments/ach', replicas: 2, client: JAVA, cluster: 'usc1' },
  { key: 'payments/p2p', replicas: 2, client: KOTLIN, cluster: 'usc1' },
  { key: 'cards/cards', replicas: 2, client: JAVA, cluster: 'usc1' },
  { key: 'risk/fraud', replicas: 3, client: PY, cluster: 'usc1' },
  { key: 'risk/device', replicas: 2, client: PY, cluster: 'use1' },
  { key: 'documents/statements', replicas: 2, client: JAVA, cluster: 'usc1' },
  { key: 'lending/quotes', replicas: 2, client: PY, cluster: 'usc1' },
  { key: 'locator/branches', replicas: 2, client: GO, cluster: 'use1' },
  { key: 'openbanking/fdx', replicas: 3, client: KOTLIN, host: 'ob.lumenbank.example', cluster: 'use1' },
  { key: 'openbanking/consents', replicas: 2, client: KOTLIN, cluster: 'use1' },
  { key: 'backoffice/teller', replicas: 2, client: JAVA, host: 'staff.lumenbank.example', cluster: 'use1' },
  { key: 'backoffice/cases', replicas: 2, client: JAVA, cluster: 'use1' },
  { key: 'notify/push', replicas: 2, client: NODE, cluster: 'use1' },
];

export const ROUTES: RouteDef[] = [
  // www: marketing site and the web app's shell
  { id: 'www.home', svc: 'web/site', method: 'GET', path: '/', shape: 'page', ms: 20, auth: 'none', calls: ['cfg.flags~'] },
  { id: 'www.section', svc: 'web/site', method: 'GET', path: '/personal/:section', shape: 'page', ms: 18, auth: 'none' },
  { id: 'www.product', svc: 'web/site', method: 'GET', path: '/personal/:section/:product', shape: 'page', ms: 22, auth: 'none', calls: ['quotes.table?0.5~'] },
  { id: 'www.rates', svc: 'web/site', method: 'GET', path: '/rates', shape: 'page', ms: 25, auth: 'none', calls: ['quotes.table'] },
  { id: 'www.location', svc: 'web/site', method: 'GET', path: '/locations/:state/:city', shape: 'page', ms: 30, auth: 'none', calls: ['branches.city'] },
  { id: 'www.help', svc: 'web/site', method: 'GET', path: '/help/:article', shape: 'page', ms: 12, auth: 'none' },
  { id: 'www.robots', svc: 'web/site', method: 'GET', path: '/robots.txt', shape: 'static', ms: 1, auth: 'none' },
  { id: 'www.sitemap', svc: 'web/site', method: 'GET', path: '/sitemap.xml', shape: 'static', ms: 8, auth: 'none' },
  { id: 'www.app', svc: 'web/site', method: 'GET', path: '/app', shape: 'static', ms: 3, auth: 'none' },
  { id: 'www.bundle', svc: 'web/site', method: 'GET', path: '/static/js/:bundle', shape: 'static', ms: 2, auth: 'none' },

  // sign-in (OIDC provider)
  { id: 'auth.authorize', svc: 'identity/login', method: 'GET', path: '/authorize', shape: 'page', ms: 6, auth: 'none' },
  { id: 'auth.password', svc: 'identity/login', method: 'POST', path: '/login/password', shape: 'action', ms: 70, auth: 'none', inn: ['password $.password'], calls: ['profile.byLogin', 'device.assess', 'sessions.create?0.9'] },
  { id: 'auth.otp', svc: 'identity/login', method: 'POST', path: '/login/otp', shape: 'action', ms: 8, auth: 'none', calls: ['mfa.verify', 'sessions.upgrade'] },
  { id: 'auth.token', svc: 'identity/login', method: 'POST', path: '/oauth2/token', shape: 'action', ms: 9, auth: 'none', out: ['jwt $.access_token'], calls: ['sessions.refresh'] },
  { id: 'auth.reset', svc: 'identity/login', method: 'POST', path: '/password/reset', shape: 'action', ms: 15, auth: 'none', calls: ['profile.byLogin', 'push.send~'] },
  { id: 'auth.discovery', svc: 'identity/login', method: 'GET', path: '/.well-known/openid-configuration', shape: 'static', ms: 1, auth: 'none' },

  // the apps' API
  { id: 'api.config', svc: 'gateway/edge-api', method: 'GET', path: '/v3/app/config', shape: 'read', ms: 3, auth: 'none', calls: ['cfg.flags'] },
  { id: 'api.guest', svc: 'gateway/edge-api', method: 'POST', path: '/v3/guest/token', shape: 'action', ms: 5, auth: 'none', out: ['jwt $.token'], calls: ['sessions.guest'] },
  { id: 'api.me', svc: 'gateway/edge-api', method: 'GET', path: '/v3/me', shape: 'read', ms: 6, auth: 'customer', out: ['email $.email', 'phone $.phone', 'date_of_birth $.dob'], calls: ['profile.get'] },
  { id: 'api.accounts', svc: 'gateway/edge-api', method: 'GET', path: '/v3/accounts', shape: 'list', ms: 8, auth: 'customer', calls: ['accounts.list', 'balances.many'] },
  { id: 'api.account', svc: 'gateway/edge-api', method: 'GET', path: '/v3/accounts/:accountId', shape: 'read', ms: 5, auth: 'customer', out: ['bank_account $.number'], calls: ['accounts.get'] },
  { id: 'api.balance', svc: 'gateway/edge-api', method: 'GET', path: '/v3/accounts/:accountId/balance', shape: 'read', ms: 3, auth: 'customer', calls: ['balances.one'] },
  { id: 'api.txns', svc: 'gateway/edge-api', method: 'GET', path: '/v3/accounts/:accountId/transactions', shape: 'list', ms: 12, auth: 'customer', calls: ['accounts.owner', 'history.search'] },
  { id: 'api.txn', svc: 'gateway/edge-api', method: 'GET', path: '/v3/accounts/:accountId/transactions/:txnId', shape: 'read', ms: 5, auth: 'customer', calls: ['history.get'] },
  { id: 'api.statements', svc: 'gateway/edge-api', method: 'GET', path: '/v3/accounts/:accountId/statements', shape: 'list', ms: 6, auth: 'customer', calls: ['statements.list'] },
  { id: 'api.statement', svc: 'gateway/edge-api', method: 'GET', path: '/v3/accounts/:accountId/statements/:period.pdf', shape: 'export', ms: 20, auth: 'customer', out: ['bank_account $.account.number', 'address $.mailing'], calls: ['statements.render'] },
  { id: 'api.payees', svc: 'gateway/edge-api', method: 'GET', path: '/v3/payees', shape: 'list', ms: 6, auth: 'customer', out: ['bank_account $.items[].account'], calls: ['payees.list'] },
  { id: 'api.payeeAdd', svc: 'gateway/edge-api', method: 'POST', path: '/v3/payees', shape: 'write', ms: 10, auth: 'customer', inn: ['bank_account $.account', 'routing_number $.routing'], calls: ['fraud.score', 'payees.create'] },
  { id: 'api.payeeDel', svc: 'gateway/edge-api', method: 'DELETE', path: '/v3/payees/:payeeId', shape: 'write', ms: 6, auth: 'customer', calls: ['payees.delete'] },
  { id: 'api.stepup', svc: 'gateway/edge-api', method: 'POST', path: '/v3/step-up', shape: 'action', ms: 6, auth: 'customer', calls: ['mfa.challenge', 'push.send~'] },
  { id: 'api.stepupVerify', svc: 'gateway/edge-api', method: 'POST', path: '/v3/step-up/:challengeId', shape: 'action', ms: 5, auth: 'customer', calls: ['mfa.verify'] },
  { id: 'api.transfer', svc: 'gateway/edge-api', method: 'POST', path: '/v3/transfers', shape: 'action', ms: 25, auth: 'customer', calls: ['fraud.score', 'transfers.create', 'ach.submit?0.55', 'p2p.send?0.45'] },
  { id: 'api.transferGet', svc: 'gateway/edge-api', method: 'GET', path: '/v3/transfers/:transferId', shape: 'read', ms: 4, auth: 'customer', calls: ['transfers.get'] },
  { id: 'api.transfers', svc: 'gateway/edge-api', method: 'GET', path: '/v3/transfers', shape: 'list', ms: 7, auth: 'customer', calls: ['transfers.list'] },
  { id: 'api.cards', svc: 'gateway/edge-api', method: 'GET', path: '/v3/cards', shape: 'list', ms: 5, auth: 'customer', calls: ['cards.list'] },
  { id: 'api.cardLock', svc: 'gateway/edge-api', method: 'POST', path: '/v3/cards/:cardId/lock', shape: 'action', ms: 9, auth: 'customer', calls: ['cards.state'] },
  { id: 'api.cardUnlock', svc: 'gateway/edge-api', method: 'POST', path: '/v3/cards/:cardId/unlock', shape: 'action', ms: 9, auth: 'customer', calls: ['cards.state'] },
  { id: 'api.cardDetails', svc: 'gateway/edge-api', method: 'GET', path: '/v3/cards/:cardId/details', shape: 'read', ms: 7, auth: 'customer', out: ['credit_card $.pan', 'card_cvv $.cvv'], calls: ['cards.reveal'] },
  { id: 'api.notifications', svc: 'gateway/edge-api', method: 'GET', path: '/v3/notifications', shape: 'list', ms: 4, auth: 'customer', calls: ['push.inbox'] },
  { id: 'api.offers', svc: 'gateway/edge-api', method: 'GET', path: '/v3/offers', shape: 'list', ms: 9, auth: 'customer', calls: ['quotes.offers~'] },
  { id: 'api.loanQuote', svc: 'gateway/edge-api', method: 'POST', path: '/v3/quotes/loan', shape: 'heavy', ms: 30, auth: 'none', calls: ['quotes.price', 'fraud.score?0.3~'] },
  { id: 'api.branches', svc: 'gateway/edge-api', method: 'GET', path: '/v3/branches', shape: 'list', ms: 10, auth: 'guest', calls: ['branches.near'] },
  { id: 'api.branch', svc: 'gateway/edge-api', method: 'GET', path: '/v3/branches/:branchId', shape: 'read', ms: 4, auth: 'guest', calls: ['branches.get'] },
  { id: 'api.atm', svc: 'gateway/edge-api', method: 'GET', path: '/v3/atms/:atmId', shape: 'read', ms: 4, auth: 'guest', calls: ['branches.atm'] },
  { id: 'api.fx', svc: 'gateway/edge-api', method: 'GET', path: '/v3/fx/rates', shape: 'read', ms: 3, auth: 'none' },

  // data access for aggregators (FDX-style), per-customer consent tokens
  { id: 'ob.accounts', svc: 'openbanking/fdx', method: 'GET', path: '/fdx/v6/accounts', shape: 'list', ms: 9, auth: 'partner', calls: ['consents.check', 'accounts.list'] },
  { id: 'ob.account', svc: 'openbanking/fdx', method: 'GET', path: '/fdx/v6/accounts/:fdxAccountId', shape: 'read', ms: 6, auth: 'partner', out: ['bank_account $.accountNumberDisplay'], calls: ['consents.check', 'accounts.get'] },
  { id: 'ob.txns', svc: 'openbanking/fdx', method: 'GET', path: '/fdx/v6/accounts/:fdxAccountId/transactions', shape: 'list', ms: 14, auth: 'partner', calls: ['consents.check', 'history.search'] },
  { id: 'ob.customer', svc: 'openbanking/fdx', method: 'GET', path: '/fdx/v6/customers/current', shape: 'read', ms: 6, auth: 'partner', out: ['email $.email', 'phone $.telephones[0].number', 'address $.addresses[0]'], calls: ['consents.check', 'profile.get'] },

  // the tellers' portal (branch network)
  { id: 'bo.search', svc: 'backoffice/teller', method: 'GET', path: '/portal/search', shape: 'list', ms: 60, auth: 'staff', out: ['email $.results[].email', 'phone $.results[].phone', 'ssn $.results[].ssnLast4'], calls: ['profile.search', 'cases.audit~'] },
  { id: 'bo.customer', svc: 'backoffice/teller', method: 'GET', path: '/portal/customers/:customerId', shape: 'read', ms: 20, auth: 'staff', out: ['email $.email', 'phone $.phone', 'ssn $.ssn', 'date_of_birth $.dob', 'address $.address'], calls: ['profile.get', 'accounts.list', 'cases.audit~'] },
  { id: 'bo.customerAccounts', svc: 'backoffice/teller', method: 'GET', path: '/portal/customers/:customerId/accounts', shape: 'list', ms: 12, auth: 'staff', out: ['bank_account $.accounts[].number'], calls: ['accounts.list', 'balances.many'] },
  { id: 'bo.customerTxns', svc: 'backoffice/teller', method: 'GET', path: '/portal/customers/:customerId/transactions', shape: 'heavy', ms: 40, auth: 'staff', calls: ['accounts.list', 'history.search'] },
  { id: 'bo.case', svc: 'backoffice/teller', method: 'GET', path: '/portal/cases/:caseNo', shape: 'read', ms: 8, auth: 'staff', calls: ['cases.get'] },
  { id: 'bo.caseNote', svc: 'backoffice/teller', method: 'POST', path: '/portal/cases/:caseNo/notes', shape: 'write', ms: 8, auth: 'staff', calls: ['cases.note'] },
  { id: 'bo.unlock', svc: 'backoffice/teller', method: 'POST', path: '/portal/customers/:customerId/unlock', shape: 'action', ms: 10, auth: 'staff', calls: ['sessions.unlock', 'cases.audit'] },
  { id: 'bo.report', svc: 'backoffice/teller', method: 'GET', path: '/portal/reports/:report.csv', shape: 'export', ms: 600, auth: 'staff', out: ['email $.rows[].email', 'phone $.rows[].phone', 'ssn $.rows[].ssn', 'bank_account $.rows[].account'], calls: ['profile.search', 'cases.audit'] },

  // internal
  { id: 'cfg.flags', svc: 'platform/config', method: 'GET', path: '/flags/:app', shape: 'read', ms: 1, auth: 'none' },
  { id: 'sessions.create', svc: 'identity/sessions', method: 'POST', path: '/sessions', shape: 'write', ms: 3, auth: 'service' },
  { id: 'sessions.upgrade', svc: 'identity/sessions', method: 'PATCH', path: '/sessions/:sessionId', shape: 'write', ms: 2, auth: 'service' },
  { id: 'sessions.refresh', svc: 'identity/sessions', method: 'POST', path: '/sessions/refresh', shape: 'action', ms: 3, auth: 'service' },
  { id: 'sessions.guest', svc: 'identity/sessions', method: 'POST', path: '/sessions/guest', shape: 'action', ms: 2, auth: 'service' },
  { id: 'sessions.unlock', svc: 'identity/sessions', method: 'DELETE', path: '/lockouts/:customerId', shape: 'write', ms: 2, auth: 'service' },
  { id: 'mfa.challenge', svc: 'identity/mfa', method: 'POST', path: '/challenges', shape: 'write', ms: 4, auth: 'service', out: ['phone $.destination'], calls: ['push.send~'] },
  { id: 'mfa.verify', svc: 'identity/mfa', method: 'POST', path: '/challenges/:challengeId/verify', shape: 'action', ms: 3, auth: 'service' },
  { id: 'device.assess', svc: 'risk/device', method: 'POST', path: '/assessments', shape: 'action', ms: 12, auth: 'service' },
  { id: 'profile.get', svc: 'customers/profile', method: 'GET', path: '/customers/:customerId', shape: 'read', ms: 4, auth: 'service', out: ['email $.email', 'phone $.phone'] },
  { id: 'profile.byLogin', svc: 'customers/profile', method: 'GET', path: '/customers/by-login/:loginHash', shape: 'read', ms: 3, auth: 'service' },
  { id: 'profile.search', svc: 'customers/profile', method: 'GET', path: '/customers', shape: 'list', ms: 35, auth: 'service', out: ['email $.items[].email', 'phone $.items[].phone'] },
  { id: 'accounts.list', svc: 'accounts/core', method: 'GET', path: '/customers/:customerId/accounts', shape: 'list', ms: 5, auth: 'service' },
  { id: 'accounts.get', svc: 'accounts/core', method: 'GET', path: '/accounts/:accountId', shape: 'read', ms: 3, auth: 'service', out: ['bank_account $.number'] },
  { id: 'accounts.owner', svc: 'accounts/core', method: 'GET', path: '/accounts/:accountId/owner', shape: 'read', ms: 2, auth: 'service' },
  { id: 'balances.one', svc: 'accounts/balances', method: 'GET', path: '/balances/:accountId', shape: 'read', ms: 1, auth: 'service' },
  { id: 'balances.many', svc: 'accounts/balances', method: 'POST', path: '/balances/batch', shape: 'action', ms: 3, auth: 'service' },
  { id: 'history.search', svc: 'ledger/history', method: 'GET', path: '/ledger/:accountId/entries', shape: 'heavy', ms: 45, auth: 'service' },
  { id: 'history.get', svc: 'ledger/history', method: 'GET', path: '/ledger/entries/:txnId', shape: 'read', ms: 4, auth: 'service' },
  { id: 'statements.list', svc: 'documents/statements', method: 'GET', path: '/statements/:accountId', shape: 'list', ms: 6, auth: 'service' },
  { id: 'statements.render', svc: 'documents/statements', method: 'GET', path: '/statements/:accountId/:period', shape: 'export', ms: 180, auth: 'service' },
  { id: 'payees.list', svc: 'payments/payees', method: 'GET', path: '/owners/:customerId/payees', shape: 'list', ms: 4, auth: 'service' },
  { id: 'payees.create', svc: 'payments/payees', method: 'POST', path: '/payees', shape: 'write', ms: 6, auth: 'service', inn: ['bank_account $.account'] },
  { id: 'payees.delete', svc: 'payments/payees', method: 'DELETE', path: '/payees/:payeeId', shape: 'write', ms: 3, auth: 'service' },
  { id: 'fraud.score', svc: 'risk/fraud', method: 'POST', path: '/score', shape: 'action', ms: 22, auth: 'service' },
  { id: 'transfers.create', svc: 'payments/transfers', method: 'POST', path: '/transfers', shape: 'write', ms: 12, auth: 'service' },
  { id: 'transfers.get', svc: 'payments/transfers', method: 'GET', path: '/transfers/:transferId', shape: 'read', ms: 2, auth: 'service' },
  { id: 'transfers.list', svc: 'payments/transfers', method: 'GET', path: '/owners/:customerId/transfers', shape: 'list', ms: 6, auth: 'service' },
  { id: 'ach.submit', svc: 'payments/ach', method: 'POST', path: '/ach/batches/current/entries', shape: 'write', ms: 9, auth: 'service', inn: ['bank_account $.receiver.account', 'routing_number $.receiver.routing'] },
  { id: 'p2p.send', svc: 'payments/p2p', method: 'POST', path: '/p2p/payments', shape: 'write', ms: 30, auth: 'service', inn: ['phone $.recipient'] },
  { id: 'cards.list', svc: 'cards/cards', method: 'GET', path: '/owners/:customerId/cards', shape: 'list', ms: 4, auth: 'service' },
  { id: 'cards.state', svc: 'cards/cards', method: 'PUT', path: '/cards/:cardId/state', shape: 'write', ms: 6, auth: 'service' },
  { id: 'cards.reveal', svc: 'cards/cards', method: 'GET', path: '/vault/cards/:cardId', shape: 'read', ms: 5, auth: 'service', out: ['credit_card $.pan'] },
  { id: 'push.send', svc: 'notify/push', method: 'POST', path: '/push', shape: 'write', ms: 4, auth: 'service' },
  { id: 'push.inbox', svc: 'notify/push', method: 'GET', path: '/inbox/:customerId', shape: 'list', ms: 3, auth: 'service' },
  { id: 'quotes.price', svc: 'lending/quotes', method: 'POST', path: '/price', shape: 'heavy', ms: 320, auth: 'service' },
  { id: 'quotes.table', svc: 'lending/quotes', method: 'GET', path: '/tables/current', shape: 'read', ms: 6, auth: 'service' },
  { id: 'quotes.offers', svc: 'lending/quotes', method: 'GET', path: '/offers/:customerId', shape: 'list', ms: 40, auth: 'service' },
  { id: 'branches.near', svc: 'locator/branches', method: 'GET', path: '/search/near', shape: 'heavy', ms: 55, auth: 'service' },
  { id: 'branches.get', svc: 'locator/branches', method: 'GET', path: '/branches/:branchId', shape: 'read', ms: 2, auth: 'service' },
  { id: 'branches.atm', svc: 'locator/branches', method: 'GET', path: '/atms/:atmId', shape: 'read', ms: 2, auth: 'service' },
  { id: 'branches.city', svc: 'locator/branches', method: 'GET', path: '/cities/:state/:city', shape: 'list', ms: 12, auth: 'service' },
  { id: 'consents.check', svc: 'openbanking/consents', method: 'GET', path: '/consents/:consentId', shape: 'read', ms: 2, auth: 'service' },
  { id: 'cases.get', svc: 'backoffice/cases', method: 'GET', path: '/cases/:caseNo', shape: 'read', ms: 4, auth: 'service' },
  { id: 'cases.note', svc: 'backoffice/cases', method: 'POST', path: '/cases/:caseNo/notes', shape: 'write', ms: 5, auth: 'service' },
  { id: 'cases.audit', svc: 'backoffice/cases', method: 'POST', path: '/audit', shape: 'write', ms: 2, auth: 'service' },
];
