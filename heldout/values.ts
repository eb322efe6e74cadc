// Values for path parameters the caller left open, by parameter name: the bank's id formats
// (UUIDs, ULIDs, `pye_`/`trf_`/`card_`/`cus_` prefixed ids, statement periods, branch numbers).
import type { Rand } from './rand';

const MIXED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = `${MIXED}-_`;
const DAY = 86_400_000;

export const SECTIONS: Record<string, string[]> = {
  checking: ['everyday-checking', 'premier-checking', 'student-checking', 'second-chance-checking'],
  savings: ['high-yield-savings', 'kids-savings', 'money-market', 'certificates-of-deposit'],
  'credit-cards': ['cash-rewards-card', 'travel-miles-card', 'secured-card', 'balance-transfer-card'],
  mortgages: ['fixed-rate-mortgage', 'adjustable-rate-mortgage', 'home-equity-line', 'refinance'],
  'auto-loans': ['new-auto-loan', 'used-auto-loan', 'auto-refinance'],
  investing: ['self-directed-brokerage', 'managed-portfolios', 'retirement-ira'],
};
/** Products the bank stopped offering: old links and search results still point at them. */
export const RETIRED = ['platinum-checking-2019', 'holiday-club-savings', 'gas-rewards-card', 'interest-only-mortgage', 'balloon-auto-loan'];
export const CITIES: [string, string][] = [
  ['ny', 'albany'], ['ny', 'buffalo'], ['ny', 'rochester'], ['ny', 'syracuse'], ['nj', 'newark'], ['nj', 'trenton'], ['pa', 'philadelphia'],
  ['pa', 'pittsburgh'], ['pa', 'scranton'], ['ct', 'hartford'], ['ct', 'stamford'], ['ma', 'boston'], ['ma', 'worcester'], ['oh', 'columbus'],
  ['oh', 'cleveland'], ['oh', 'akron'], ['md', 'baltimore'], ['va', 'richmond'], ['va', 'norfolk'], ['de', 'wilmington'], ['ri', 'providence'],
];
export const ARTICLES = ['reset-password', 'zelle-limits', 'wire-cutoff-times', 'dispute-a-charge', 'lost-card', 'routing-number', 'direct-deposit-form', 'mobile-check-deposit', 'travel-notice', 'overdraft-protection'];
export const REPORTS = ['dormant-accounts', 'kyc-refresh-due', 'high-balance-review', 'returned-ach'];

const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);

export function valueFor(name: string, r: Rand, at: number): string {
  switch (name) {
    case 'accountId':
    case 'challengeId':
    case 'consentId':
      return r.uuid();
    case 'txnId': return r.ulid(at - r.range(0, 60 * DAY));
    case 'period': return month(at - (1 + r.below(12)) * 30 * DAY);
    case 'payeeId': return `pye_${r.chars(10, LOWER)}`;
    case 'transferId': return `trf_${r.ulid(at)}`;
    case 'cardId': return `card_${r.hex(8)}`;
    case 'branchId': return String(r.int(1001, 1400));
    case 'atmId': return `A${r.int(10000, 39999)}`;
    case 'customerId': return `cus_${r.chars(14, MIXED)}`;
    case 'fdxAccountId': return r.chars(22, B64URL);
    case 'caseNo': return String(r.int(3_000_000, 3_999_999));
    case 'report': return r.pick(REPORTS);
    case 'section': return r.pick(Object.keys(SECTIONS));
    case 'product': return r.pick(SECTIONS[r.pick(Object.keys(SECTIONS))]);
    case 'state': return r.pick(CITIES)[0];
    case 'city': return r.pick(CITIES)[1];
    case 'article': return r.pick(ARTICLES);
    case 'bundle': return `${r.pick(['main', 'vendor', 'runtime', 'accounts', 'transfers'])}.${r.hex(8)}.js`;
    case 'sessionId': return r.hex(32);
    case 'loginHash': return r.hex(20);
    case 'app': return r.pick(['ios', 'android', 'web']);
    default: return r.chars(12, LOWER);
  }
}
