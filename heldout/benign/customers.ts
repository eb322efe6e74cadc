// Customers using the bank: the phone app (most of them) and online banking in a browser. Each
// visit is an agent: sign-in, a look at the accounts, now and then a transfer (with step-up for a
// new payee or a large amount), the cards, a statement. Hard negatives ride along, labelled.
import type { Agent } from '../engine';
import type { Label, Who } from '../exec';
import type { Customer } from '../people';
import type { Rand } from '../rand';
import { RETIRED, SECTIONS } from '../values';
import type { BankWorld } from '../world';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const think = (r: Rand, medianS: number) => Math.min(300_000, Math.max(400, r.logNormal(medianS * 1000, 0.8)));

/** Where the visit comes from, and the cohorts that puts it in. */
function origin(w: BankWorld, c: Customer, r: Rand): { ip: string; cohorts: string[] } {
  if (!c.mobile) {
    const local = new Date(w.now + w.config.utcOffsetH * 3_600_000);
    const workHours = local.getUTCDay() >= 1 && local.getUTCDay() <= 5 && local.getUTCHours() >= 9 && local.getUTCHours() < 17;
    if (c.vpn && workHours) return { ip: r.pick(w.config.vpn.exits), cohorts: ['privacy_vpn'] };
    return { ip: c.home, cohorts: [] };
  }
  if (r.coin(0.3)) return { ip: c.home, cohorts: [] }; // on the home Wi-Fi
  if ('nat' in c.phone) return { ip: r.pick(w.config.carriers[c.phone.nat]), cohorts: ['cgnat_mobile'] };
  return { ip: c.phone.ip, cohorts: [] };
}

interface Visit {
  who: Who;
  cohorts: string[];
}

function label(v: Visit): Label | undefined {
  return v.cohorts.length ? { cohorts: [...v.cohorts] } : undefined;
}

/**
 * A password sign-in: now and then the password is mistyped once or a few times; a customer who
 * gets it wrong five times is locked out (423) and resets it.
 */
function* passwordSignIn(w: BankWorld, r: Rand, c: Customer, v: Visit): Generator<number, boolean, void> {
  const anon = () => ({ ...v.who, token: null, user: null, label: label(v) });
  const params = () => new Map([['loginHash', w.people.bearer('login', c.login).slice(0, 20)]]);
  if (r.coin(w.config.typo)) {
    v.cohorts.push('password_typo');
    const misses = r.coin(0.97) ? r.int(1, 3) : 5;
    for (let i = 1; i <= misses; i++) {
      w.call(anon(), { route: 'auth.password', params: params(), status: i === 5 ? 423 : 401 }, r);
      yield w.now + think(r, 6);
    }
    if (misses === 5) {
      w.call(anon(), { route: 'auth.reset', params: params() }, r);
      return false;
    }
  }
  w.call(anon(), { route: 'auth.password', params: params(), status: 200 }, r);
  yield w.now + think(r, 1.5);
  if (r.coin(c.mobile ? 0.35 : 0.55)) {
    w.call(anon(), { route: 'auth.otp' }, r); // a one-time code: new device, or every web sign-in
    yield w.now + think(r, 12);
  }
  return true;
}

/** Looking around the accounts: balances, transactions, a transaction's detail. */
function* browse(w: BankWorld, r: Rand, c: Customer, v: Visit): Generator<number, void, void> {
  const acct = r.pick(c.accounts);
  const p = new Map([['accountId', acct]]);
  const from = isoDay(w.now - r.int(7, 60) * 86_400_000);
  w.call({ ...v.who, label: label(v) }, { route: 'api.txns', params: p, query: `from=${from}&limit=${r.pick([25, 25, 50])}` }, r);
  yield w.now + think(r, 8);
  if (r.coin(0.35)) {
    w.call({ ...v.who, label: label(v) }, { route: 'api.txn', params: new Map([['accountId', acct]]) }, r);
    yield w.now + think(r, 6);
  }
  if (r.coin(0.2)) {
    w.call({ ...v.who, label: label(v) }, { route: 'api.txns', params: p, query: `from=${from}&limit=25&cursor=${r.hex(16)}` }, r);
    yield w.now + think(r, 8);
  }
}

/** Paying someone: new payees and large amounts need a one-time code first; then the app follows the transfer's status. */
function* transfer(w: BankWorld, r: Rand, c: Customer, v: Visit): Generator<number, void, void> {
  const who = () => ({ ...v.who, label: label(v) });
  w.call(who(), { route: 'api.payees' }, r);
  yield w.now + think(r, 7);
  const newPayee = c.payees.length === 0 || r.coin(0.15);
  if (newPayee) {
    w.call(who(), { route: 'api.payeeAdd' }, r);
    yield w.now + think(r, 4);
  }
  if (newPayee || r.coin(0.4)) {
    const challenge = r.uuid();
    w.call(who(), { route: 'api.stepup', params: new Map([['challengeId', challenge]]) }, r);
    yield w.now + think(r, 15);
    w.call(who(), { route: 'api.stepupVerify', params: new Map([['challengeId', challenge]]) }, r);
    yield w.now + think(r, 2);
  }
  const transferId = `trf_${r.ulid(w.now)}`;
  w.call(who(), { route: 'api.transfer' }, r);
  for (let i = r.int(1, 5); i > 0; i--) {
    yield w.now + r.range(2500, 4500);
    w.call(who(), { route: 'api.transferGet', params: new Map([['transferId', transferId]]) }, r);
  }
}

function* cards(w: BankWorld, r: Rand, c: Customer, v: Visit): Generator<number, void, void> {
  const who = () => ({ ...v.who, label: label(v) });
  w.call(who(), { route: 'api.cards' }, r);
  if (!c.cards.length) return;
  yield w.now + think(r, 6);
  const p = () => new Map([['cardId', r.pick(c.cards)]]);
  const roll = r.float();
  if (roll < 0.2) w.call(who(), { route: r.coin(0.5) ? 'api.cardLock' : 'api.cardUnlock', params: p() }, r);
  else if (roll < 0.35) {
    const challenge = r.uuid();
    w.call(who(), { route: 'api.stepup', params: new Map([['challengeId', challenge]]) }, r);
    yield w.now + think(r, 15);
    w.call(who(), { route: 'api.stepupVerify', params: new Map([['challengeId', challenge]]) }, r);
    yield w.now + think(r, 2);
    w.call(who(), { route: 'api.cardDetails', params: p() }, r);
  }
}

function* statements(w: BankWorld, r: Rand, c: Customer, v: Visit): Generator<number, void, void> {
  const acct = r.pick(c.accounts);
  w.call({ ...v.who, label: label(v) }, { route: 'api.statements', params: new Map([['accountId', acct]]) }, r);
  yield w.now + think(r, 6);
  w.call({ ...v.who, label: label(v) }, { route: 'api.statement', params: new Map([['accountId', acct]]) }, r);
}

/** The dashboard left open: balances and notifications refresh every 30 s until the phone locks. */
function* dashboard(w: BankWorld, r: Rand, c: Customer, v: Visit): Generator<number, void, void> {
  v.cohorts.push('app_polling');
  const until = w.now + r.int(3, 30) * 60_000;
  const every = r.pick([30_000, 30_000, 60_000]);
  const acct = c.accounts[0];
  while (w.now + every < until) {
    yield w.now + every * r.range(0.97, 1.03);
    w.call({ ...v.who, label: label(v) }, { route: 'api.balance', params: new Map([['accountId', acct]]) }, r);
    w.call({ ...v.who, label: label(v) }, { route: 'api.notifications' }, r);
  }
}

/**
 * A customer's visit. `reason`: `push` for a visit a notification prompted (a short look at the
 * balance, in a crowd of others).
 */
export function* customerVisit(w: BankWorld, r: Rand, c: Customer, reason: 'own' | 'push' = 'own'): Agent {
  const from = origin(w, c, r);
  const v: Visit = { who: { token: null, user: null, ip: from.ip, ua: c.ua }, cohorts: from.cohorts };
  if (reason === 'push') v.cohorts.push('push_surge');
  const anon = () => ({ ...v.who, token: null, user: null, label: label(v) });
  if (!c.mobile && r.coin(w.config.stale)) {
    // an old e-mail's link to a statement the bank no longer keeps online
    v.cohorts.push('stale_links');
  }
  if (c.mobile) {
    w.call(anon(), { route: 'api.config', params: new Map([['app', c.ua.includes('iP') ? 'ios' : 'android']]) }, r);
    yield w.now + r.range(150, 900);
    if (reason === 'own' && r.coin(0.15)) {
      if (!(yield* passwordSignIn(w, r, c, v))) return;
    }
    w.call(anon(), { route: 'auth.token' }, r); // the refresh token, or the code just earned
  } else {
    w.call(anon(), { route: 'www.app' }, r);
    w.call(anon(), { route: 'www.bundle' }, r);
    yield w.now + r.range(300, 1500);
    w.call(anon(), { route: 'auth.authorize' }, r);
    yield w.now + think(r, 8);
    if (!(yield* passwordSignIn(w, r, c, v))) return;
    w.call(anon(), { route: 'auth.token' }, r);
  }
  v.who = { ...v.who, token: w.people.bearer('session', c.id, r.u32()), user: c.id };
  yield w.now + r.range(200, 900);
  w.call({ ...v.who, label: label(v) }, { route: 'api.accounts' }, r);
  yield w.now + think(r, 4);
  if (v.cohorts.includes('stale_links')) {
    const old = `20${r.int(15, 19)}-0${r.int(1, 9)}`;
    w.call({ ...v.who, label: label(v) }, { route: 'api.statement', params: new Map([['accountId', r.pick(c.accounts)], ['period', old]]), status: 410 }, r);
    yield w.now + think(r, 6);
  }
  if (reason === 'push') {
    w.call({ ...v.who, label: label(v) }, { route: 'api.balance', params: new Map([['accountId', c.accounts[0]]]) }, r);
    return;
  }
  for (let more = true; more; more = r.coin(0.3)) {
    const roll = r.float();
    if (roll < 0.58) yield* browse(w, r, c, v);
    else if (roll < 0.7) yield* transfer(w, r, c, v);
    else if (roll < 0.78) yield* cards(w, r, c, v);
    else if (roll < 0.83) yield* statements(w, r, c, v);
    else if (roll < 0.95) {
      w.call({ ...v.who, label: label(v) }, { route: 'api.notifications' }, r);
      yield w.now + think(r, 3);
      w.call({ ...v.who, label: label(v) }, { route: 'api.offers' }, r);
    } else w.call({ ...v.who, label: label(v) }, { route: 'api.me' }, r);
    yield w.now + think(r, c.mobile ? 6 : 10);
  }
  if (c.mobile && r.coin(w.config.dashboardPolling)) yield* dashboard(w, r, c, v);
}

/**
 * Someone who is not signed in: the marketing site, rates, a branch near them (a guest token
 * first), a loan quote; some arrive at a product the bank no longer sells.
 */
export function* visitor(w: BankWorld, r: Rand, ip: string, ua: string): Agent {
  const cohorts: string[] = [];
  const who = (): Who => ({ token: null, user: null, ip, ua, label: cohorts.length ? { cohorts: [...cohorts] } : undefined });
  if (r.coin(w.config.stale * 2)) {
    cohorts.push('stale_links');
    w.call(who(), { route: 'www.product', params: new Map([['section', r.pick(Object.keys(SECTIONS))], ['product', r.pick(RETIRED)]]), status: 404 }, r);
    yield w.now + think(r, 5);
  }
  w.call(who(), { route: 'www.home' }, r);
  for (let pages = r.int(1, 6); pages > 0; pages--) {
    yield w.now + think(r, 12);
    const roll = r.float();
    if (roll < 0.35) w.call(who(), { route: 'www.section' }, r);
    else if (roll < 0.65) w.call(who(), { route: 'www.product' }, r);
    else if (roll < 0.78) w.call(who(), { route: 'www.rates' }, r);
    else if (roll < 0.86) w.call(who(), { route: 'www.help' }, r);
    else if (roll < 0.93) w.call(who(), { route: 'api.loanQuote' }, r);
    else {
      const guest = { ...who(), token: w.people.bearer('guest', ip, r.u32()) };
      w.call(who(), { route: 'api.guest' }, r);
      yield w.now + r.range(100, 400);
      w.call(guest, { route: 'api.branches', query: `lat=${r.range(39, 43).toFixed(4)}&lng=${r.range(-80, -71).toFixed(4)}&radius=10` }, r);
      if (r.coin(0.5)) {
        yield w.now + think(r, 6);
        w.call(guest, { route: 'api.branch' }, r);
      }
    }
  }
}
