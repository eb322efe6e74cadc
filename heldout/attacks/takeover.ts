// Misusing access that is real: a teller's stolen portal session dumping customer data, malware
// on a customer's phone moving money through calls that skip the one-time code, and a captured
// app token replayed from a server while its owner is still using it.
import type { Agent } from '../engine';
import type { Who } from '../exec';
import { cloudAddress, homeAddress } from '../network';
import { tellerId } from '../people';
import { REPORTS } from '../values';
import type { BankWorld } from '../world';
import type { Scenario } from './types';

export const exfiltration: Scenario = {
  name: 'exfiltration', expected: ['exfiltration'], minutes: [15, 40], perDay: 3, variants: ['report_dump', 'search_sweep'],
  *run(w, plan, r): Agent {
    const branch = r.below(w.config.branches.length);
    const k = r.below(w.config.branches[branch].tellers);
    const day = Math.floor(plan.start / 86_400_000);
    // the teller's own SSO session, from the attacker's machine rather than the branch
    const who: Who = { token: w.people.bearer('sso', branch, k, day), user: tellerId(w.seed, branch, k), ip: homeAddress(r), ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', label: { attack: plan.id } };
    const gap = 1 / w.config.attacks.intensity;
    let page = 1;
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let t = plan.start; t < plan.end; ) {
      yield t;
      if (plan.variant === 'report_dump') {
        w.call(who, { route: 'bo.report', params: new Map([['report', REPORTS[page++ % REPORTS.length]]]), items: r.int(2000, 8000) }, r);
        t = w.now + r.range(90, 240) * 1000 * gap;
      } else {
        w.call(who, { route: 'bo.search', query: `q=${letters[Math.floor(page / 5) % 26]}&page=${page % 5 + 1}&pageSize=200`, items: 200 }, r);
        page++;
        if (r.coin(0.3)) w.call(who, { route: 'bo.customer', params: new Map([['customerId', w.people.customers[r.below(w.people.customers.length)].id]]) }, r);
        t = w.now + r.range(3, 9) * 1000 * gap;
      }
    }
  },
};

/**
 * On-device fraud: malware drives the customer's own app session (same phone, address, token)
 * to add payees and send money, or to read the card's number, calling the API directly and
 * skipping the one-time code the app always asks for first. A step every few minutes.
 */
export const workflowAbuse: Scenario = {
  name: 'workflow_abuse', expected: ['anomalous_sequence'], minutes: [20, 60], perDay: 3, variants: ['transfer_without_step_up', 'card_details_without_step_up'],
  *run(w, plan, r): Agent {
    const phones = w.people.customers.filter((c) => c.mobile && c.cards.length > 0);
    const victim = phones[r.below(phones.length)];
    plan.targeted.add(victim.login);
    plan.compromised.add(victim.login);
    const who: Who = { token: w.people.bearer('session', victim.id, plan.id), user: victim.id, ip: victim.home, ua: victim.ua, label: { attack: plan.id } };
    for (let t = plan.start; t < plan.end; t = w.now + r.range(90, 300) * 1000 / w.config.attacks.intensity) {
      yield t;
      if (plan.variant === 'transfer_without_step_up') {
        w.call(who, { route: 'api.payeeAdd' }, r);
        yield w.now + r.range(1500, 6000);
        w.call(who, { route: 'api.transfer' }, r);
      } else {
        w.call(who, { route: 'api.cardDetails', params: new Map([['cardId', r.pick(victim.cards)]]) }, r);
      }
    }
  },
};

/**
 * A customer's app token, captured by a malicious proxy profile, replayed from a server with the
 * app's own User-Agent: months of transactions, the payees, a transfer that the code step stops.
 * The owner keeps refreshing the dashboard meanwhile, with the same token (benign events).
 */
export const tokenReplay: Scenario = {
  name: 'token_replay', expected: ['token_misuse'], minutes: [10, 35], perDay: 3,
  *run(w, plan, r): Agent {
    const phones = w.people.customers.filter((c) => c.mobile);
    const victim = phones[r.below(phones.length)];
    plan.targeted.add(victim.login);
    plan.compromised.add(victim.login);
    const token = w.people.bearer('session', victim.id, plan.id);
    const attacker: Who = { token, user: victim.id, ip: cloudAddress(r), ua: victim.ua, label: { attack: plan.id } };
    const nat = 'nat' in victim.phone;
    const owner: Who = { token, user: victim.id, ip: 'nat' in victim.phone ? w.config.carriers[victim.phone.nat][0] : victim.phone.ip, ua: victim.ua, label: nat ? { cohorts: ['cgnat_mobile'] } : undefined };
    const acct = victim.accounts[0];
    let ownerNext = plan.start + r.range(20_000, 90_000);
    for (let t = plan.start; t < plan.end; ) {
      if (ownerNext < t) {
        yield ownerNext;
        w.call(owner, { route: 'api.balance', params: new Map([['accountId', acct]]) }, r);
        ownerNext = w.now + r.range(60_000, 240_000);
        continue;
      }
      yield t;
      const roll = r.float();
      if (roll < 0.5) w.call(attacker, { route: 'api.txns', params: new Map([['accountId', r.pick(victim.accounts)]]), query: `from=${new Date(w.now - r.int(90, 720) * 86_400_000).toISOString().slice(0, 10)}&limit=100` }, r);
      else if (roll < 0.7) w.call(attacker, { route: 'api.payees' }, r);
      else if (roll < 0.85) w.call(attacker, { route: 'api.me' }, r);
      else {
        w.call(attacker, { route: 'api.stepup' }, r);
        w.call(attacker, { route: 'api.stepupVerify', status: 401 }, r);
      }
      t = w.now + r.logNormal(15_000, 0.7) / w.config.attacks.intensity;
    }
  },
};
