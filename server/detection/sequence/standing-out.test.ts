import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../types';
import {
  analyse, APP_UA, APP_UA_NEW, BROWSER_UA, clients, population, request, SCRIPT_UA, session, signalOf, strengthOf, type Client, type Workflow,
} from './synthetic';
import { lcg } from './test-support';

// A made-up bank (nothing of the simulator's): customers use a mobile app against bank/api and
// bank/auth; staff use a browser against bank/backoffice. The cases the sequence model must make
// stand out even at a low rate, next to benign look-alikes that must not.

const T0 = Date.UTC(2030, 0, 7, 8);
const H = 3_600_000;
/**
 * "Does not fire": below what one mildly unusual finding may say (an app polling twice as long as
 * most do is mildly unusual); the attacks above reach 0.5, what counts as a strong signal here.
 */
const QUIET = 0.35;

const CUSTOMER: Workflow = {
  home: { endpoint: 'bank/api GET /v1/accounts', next: [['account', 50], ['payees', 20], ['poll', 5], ['exit', 25]] },
  account: { endpoint: 'bank/api GET /v1/accounts/{accountId}', next: [['txns', 50], ['home', 20], ['exit', 30]] },
  txns: { endpoint: 'bank/api GET /v1/accounts/{accountId}/transactions', next: [['account', 30], ['exit', 70]] },
  payees: { endpoint: 'bank/api GET /v1/payees', next: [['addPayee', 40], ['quote', 40], ['exit', 20]] },
  addPayee: { endpoint: 'bank/api POST /v1/payees', next: [['stepup', 100]] },
  quote: { endpoint: 'bank/api POST /v1/transfers/quote', next: [['stepup', 100]] },
  stepup: { endpoint: 'bank/auth POST /v1/step-up', next: [['transfer', 80], ['exit', 20]] },
  transfer: { endpoint: 'bank/api POST /v1/transfers', next: [['receipt', 50], ['exit', 50]] },
  receipt: { endpoint: 'bank/api GET /v1/transfers/{transferId}', next: [['exit', 100]] },
  poll: { endpoint: 'bank/api GET /v1/notifications/unread', next: [['poll', 85], ['exit', 15]] },
};
// a customer's sign-in: most get it right, some mistype and try again
const LOGIN: Workflow = {
  login: { endpoint: 'bank/auth POST /v1/login', next: [['home', 100]] },
  mistyped: { endpoint: 'bank/auth POST /v1/login', next: [['login', 85], ['mistyped', 10], ['exit', 5]], status: () => 401 },
  ...CUSTOMER,
};
const STAFF: Workflow = {
  queue: { endpoint: 'bank/backoffice GET /v1/cases', next: [['case', 70], ['exit', 30]] },
  case: { endpoint: 'bank/backoffice GET /v1/cases/{caseId}', next: [['customer', 50], ['queue', 30], ['exit', 20]] },
  customer: { endpoint: 'bank/backoffice GET /v1/customers/{customerId}', next: [['limits', 20], ['case', 30], ['exit', 50]] },
  limits: { endpoint: 'bank/backoffice PUT /v1/customers/{customerId}/limits', next: [['exit', 100]] },
};

const customers = clients('cust', 1000, APP_UA);
const staff = clients('staff', 25, BROWSER_UA);

function background(hours: number, seed = 1): EngineEvent[] {
  const end = T0 + hours * H;
  return [
    ...population(customers, LOGIN, (r) => (r() < 0.3 ? (r() < 0.1 ? 'mistyped' : 'login') : 'home'), T0, end, 40 * 60_000, seed),
    ...population(staff, STAFF, 'queue', T0, end, 15 * 60_000, seed + 1),
  ];
}

const ATTACK_AT = T0 + 5 * H;
const attacker = (name: string, ua = APP_UA): Client => ({ token: `${name}-tok`, user: `${name}-user`, ip: '93.184.216.34', ua });

describe('what stands out even at a low rate', () => {
  it('a transfer after adding a payee with no step-up, among customers who always step up', () => {
    const a = attacker('skipper');
    const attack = session(a, ATTACK_AT, [
      { endpoint: 'bank/api GET /v1/accounts' },
      { endpoint: 'bank/api GET /v1/payees' },
      { endpoint: 'bank/api POST /v1/payees' },
      { endpoint: 'bank/api POST /v1/transfers' },
    ]);
    const { signals } = analyse([...background(6), ...attack]);
    const s = signalOf(signals, a.user!, 'anomalous_sequence');
    if (process.env.SHOW) console.log(s?.strength, s?.evidence.map((e) => e.text));
    expect(s?.strength).toBeGreaterThanOrEqual(0.5);
    expect(s!.service).toBe('bank/api');
    // the evidence names the step it skipped and how many customers take it
    expect(s!.evidence.map((e) => e.text).join('\n')).toMatch(/no bank\/auth POST \/v1\/step-up before it in the session, which \d+ % of [\d,]+ clients reaching it came from/);
    expect(s!.transitions!.some((t) => t.to === 'bank/api POST /v1/transfers' && t.from === 'bank/api POST /v1/payees')).toBe(true);
    expect(s!.examples!.length).toBeGreaterThan(0);
    // the customers who stepped up are not suspicious
    const benign = customers.map((c) => strengthOf(signals, c.user!, 'anomalous_sequence'));
    expect(benign.filter((x) => x >= 0.5)).toEqual([]);
  });

  it('paying for a checkout that was never created, again and again', () => {
    const SHOP: Workflow = {
      browse: { endpoint: 'store/api GET /v2/items', next: [['item', 70], ['exit', 30]] },
      item: { endpoint: 'store/api GET /v2/items/{itemId}', next: [['item', 30], ['basket', 30], ['exit', 40]] },
      basket: { endpoint: 'store/api POST /v2/basket/lines', next: [['checkout', 60], ['item', 20], ['exit', 20]] },
      checkout: { endpoint: 'store/api POST /v2/checkouts', next: [['pay', 90], ['exit', 10]] },
      pay: { endpoint: 'store/api POST /v2/checkouts/{checkoutId}/payment', next: [['exit', 100]], status: (r) => (r() < 0.05 ? 402 : 200) },
    };
    const shoppers = clients('shopper', 400, APP_UA);
    const events = population(shoppers, SHOP, 'browse', T0, T0 + 6 * H, 30 * 60_000, 3);
    const tester = attacker('card-tester');
    const rand = lcg(9);
    const attack: EngineEvent[] = [];
    for (let i = 0, t = ATTACK_AT; i < 25; i++, t += 8000 + rand() * 30_000) {
      attack.push(request(tester, Math.floor(t), 'store/api POST /v2/checkouts/{checkoutId}/payment', rand() < 0.6 ? 402 : 200, [`c${i}f3`]));
    }
    const { signals } = analyse([...events, ...attack]);
    const s = signalOf(signals, tester.user!, 'anomalous_sequence');
    if (process.env.SHOW) console.log(s?.strength, s?.evidence.map((e) => e.text));
    expect(s?.strength).toBeGreaterThanOrEqual(0.5);
    expect(s!.evidence.map((e) => e.text).join('\n')).toMatch(/payment \(4xx\) \d+ times in \d+ steps; 90 % of [\d,]+ mobile-app sessions calling it do so at most once every/);
    const benign = shoppers.map((c) => strengthOf(signals, c.user!));
    expect(benign.filter((x) => x >= 0.5)).toEqual([]);
  });

  it('a token replayed by another kind of client at the same time', () => {
    const victim = customers[7];
    const thief: Client = { ...victim, ip: '185.220.101.4', ua: SCRIPT_UA };
    const rand = lcg(4);
    const replay: EngineEvent[] = [];
    // the victim uses the app while the thief's script uses the same token
    for (let i = 0; i < 12; i++) {
      replay.push(request(victim, ATTACK_AT + i * 50_000, 'bank/api GET /v1/accounts'));
      replay.push(request(thief, ATTACK_AT + i * 50_000 + 20_000 + Math.floor(rand() * 5000), 'bank/api GET /v1/accounts/{accountId}', 200, [4000 + i]));
    }
    const { signals } = analyse([...background(6), ...replay]);
    const s = signalOf(signals, victim.token!, 'token_misuse');
    expect(s?.strength).toBeGreaterThanOrEqual(0.5);
    expect(s!.actor).toEqual({ type: 'token', id: victim.token });
    expect(s!.evidence[0].text).toMatch(/two kinds of client at once/);
    expect(s!.evidence[0].text).toContain(SCRIPT_UA);
  });

  it('ids walked in order at a machine pace', () => {
    const bot = attacker('walker', SCRIPT_UA);
    const walk: EngineEvent[] = [];
    for (let i = 0; i < 60; i++) walk.push(request(bot, ATTACK_AT + i * 1500, 'bank/api GET /v1/accounts/{accountId}', 200, [700_100 + i]));
    const { signals } = analyse([...background(6), ...walk]);
    const s = signalOf(signals, bot.user!, 'scraping');
    expect(s?.strength).toBeGreaterThanOrEqual(0.8);
    expect(s!.evidence[0].text).toMatch(/walked 60 ids of bank\/api GET \/v1\/accounts\/\{accountId\} in order \(700100 → 700159\)/);
    // customers open their accounts by random ids: no walk
    expect(customers.map((c) => strengthOf(signals, c.user!, 'scraping')).filter((x) => x > 0)).toEqual([]);
  });

  it("a customer's token against the staff back office", () => {
    const c = customers[3];
    const probes = ['bank/backoffice GET /v1/cases', 'bank/backoffice GET /v1/customers/{customerId}', 'bank/backoffice PUT /v1/customers/{customerId}/limits', 'bank/backoffice GET /v1/cases/{caseId}'];
    const attack = [
      ...session(c, ATTACK_AT - 10 * 60_000, [{ endpoint: 'bank/api GET /v1/accounts' }, { endpoint: 'bank/api GET /v1/accounts/{accountId}', ids: [5] }]),
      ...probes.map((p, i) => request({ ...c, ua: SCRIPT_UA }, ATTACK_AT + i * 40_000, p, i === 1 ? 200 : 403, [900 + i])),
    ];
    const { signals } = analyse([...background(6), ...attack]);
    const s = signalOf(signals, c.user!, 'anomalous_sequence');
    expect(s?.strength).toBeGreaterThanOrEqual(0.5);
    expect(s!.service).toBe('bank/backoffice');
    const text = s!.evidence.map((e) => e.text).join('\n');
    expect(text).toMatch(/first call to bank\/backoffice by a client that used bank\/(api|auth)/);
    expect(text).toMatch(/3 of 4 requests to bank\/backoffice refused \(403\)/);
    // staff in their back office are not suspicious
    expect(staff.map((x) => strengthOf(signals, x.user!)).filter((x) => x >= QUIET)).toEqual([]);
  });
});

describe('benign look-alikes that must not fire', () => {
  it('an app polling one endpoint for hours', () => {
    const poller = customers[11];
    // the app opens on the accounts, then polls for notifications every 30 s for three hours
    const polls: EngineEvent[] = [request(poller, ATTACK_AT - 5000, 'bank/api GET /v1/accounts')];
    for (let t = ATTACK_AT; t < ATTACK_AT + 3 * H; t += 30_000) polls.push(request(poller, t, 'bank/api GET /v1/notifications/unread'));
    const { signals } = analyse([...background(9), ...polls]);
    if (process.env.SHOW) console.log(signals.filter((x) => x.actor.id === poller.user).map((x) => [x.kind, x.strength, x.evidence.map((e) => e.text)]));
    expect(strengthOf(signals, poller.user!)).toBeLessThan(QUIET);
  });

  it('a cron job walking ids every minute from a service identity', () => {
    const job: Client = { token: 'sa-reconcile', user: 'system:serviceaccount:bank:reconcile', ip: '10.4.0.17', ua: 'Go-http-client/2.0', src: 'bank/reconciler' };
    const calls: EngineEvent[] = [];
    for (let i = 0; i < 240; i++) calls.push(request(job, ATTACK_AT + i * 60_000, 'bank/api GET /v1/transfers/{transferId}', 200, [50_000 + i]));
    const { signals } = analyse([...background(9), ...calls]);
    if (process.env.SHOW) console.log(signals.filter((x) => x.actor.id === job.user).map((x) => [x.kind, x.strength, x.evidence.map((e) => e.text)]));
    expect(strengthOf(signals, job.user!)).toBeLessThan(QUIET);
  });

  it('a user who retries a login twice', () => {
    const u = customers[21];
    const retry = session(u, ATTACK_AT, [
      { endpoint: 'bank/auth POST /v1/login', status: 401, gapMs: 6000 },
      { endpoint: 'bank/auth POST /v1/login', status: 401, gapMs: 9000 },
      { endpoint: 'bank/auth POST /v1/login', status: 200 },
      { endpoint: 'bank/api GET /v1/accounts' },
      { endpoint: 'bank/api GET /v1/accounts/{accountId}', ids: [77] },
    ]);
    const { signals } = analyse([...background(6), ...retry]);
    if (process.env.SHOW) console.log(signals.filter((x) => x.actor.id === u.user).map((x) => [x.strength, x.evidence.map((e) => e.text)]));
    expect(strengthOf(signals, u.user!)).toBeLessThan(QUIET);
  });

  it('an app update mid-day, and a phone moving between networks, are not a stolen token', () => {
    const u: Client = { token: 'updater-tok', user: 'updater', ip: '81.9.9.7', ua: APP_UA };
    const moves = [
      ...session(u, ATTACK_AT - 2 * H, [{ endpoint: 'bank/api GET /v1/accounts' }, { endpoint: 'bank/api GET /v1/accounts/{accountId}', ids: [3] }]),
      ...session(u, ATTACK_AT, [{ endpoint: 'bank/api GET /v1/accounts' }, { endpoint: 'bank/api GET /v1/payees' }]),
      ...session({ ...u, ua: APP_UA_NEW }, ATTACK_AT + 90_000, [{ endpoint: 'bank/api GET /v1/accounts' }, { endpoint: 'bank/api GET /v1/accounts/{accountId}', ids: [3] }]),
      ...session({ ...u, ua: APP_UA_NEW, ip: '31.17.40.2' }, ATTACK_AT + 200_000, [{ endpoint: 'bank/api GET /v1/accounts' }]),
    ];
    const { signals } = analyse([...background(6), ...moves]);
    expect(strengthOf(signals, u.token!, 'token_misuse')).toBeLessThan(QUIET);
  });
});
