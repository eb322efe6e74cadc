import type { DetectionKind } from '@/lib/enums';

/**
 * Benign traffic that looks like an attack (hard negatives), labelled so a benchmark can count
 * false positives per cohort. A request carries its cohorts inside the simulator only; the wire
 * never does. docs/simulator.md describes each.
 */
export const COHORTS = {
  cgnat_mobile: {
    description: 'app customers behind carrier-grade NAT: hundreds of users on a few addresses, with the odd failed sign-in',
    looksLike: ['credential_stuffing', 'brute_force', 'distributed_attack'],
  },
  privacy_vpn: {
    description: 'web customers behind a privacy VPN: shared exits in hosting ranges, a new exit every visit',
    looksLike: ['token_misuse', 'credential_stuffing'],
  },
  office_nat: {
    description: 'support staff behind the office NAT reading customer records all day',
    looksLike: ['exfiltration', 'scraping'],
  },
  partner_aggregator: {
    description: 'partners reading linked customers\' orders with delegated tokens, a sweep over hundreds of accounts on a schedule',
    looksLike: ['scraping', 'credential_stuffing', 'token_misuse'],
  },
  cron_walker: {
    description: 'sellers\' inventory syncs and an internal archiver walking ids in order every minute',
    looksLike: ['scraping', 'crawler'],
  },
  app_polling: {
    description: 'apps polling parcel tracking or a vehicle\'s state every few seconds while the screen is open',
    looksLike: ['dos', 'scraping'],
  },
  search_bots: {
    description: 'search-engine crawlers from their published ranges, some visits hundreds of pages deep',
    looksLike: ['crawler', 'scraping'],
  },
  uptime_monitors: {
    description: 'uptime checks every minute and a monitoring service\'s scripted login with a test account',
    looksLike: ['dos', 'brute_force'],
  },
  password_typo: {
    description: 'customers who mistype their password once or a few times before signing in',
    looksLike: ['brute_force'],
  },
  stale_links: {
    description: 'visits that start from an old link (a product gone, an old order link): 404s',
    looksLike: ['crawler'],
  },
  internal_jobs: {
    description: 'internal jobs calling other services on a schedule with their service accounts',
    looksLike: ['scraping', 'dos'],
  },
} as const satisfies Record<string, { description: string; looksLike: readonly DetectionKind[] }>;

export type CohortName = keyof typeof COHORTS;
export const COHORT_NAMES = Object.keys(COHORTS) as CohortName[];
