// The held-out world's hard negatives: benign traffic that looks like an attack.
export const HELDOUT_COHORTS: Record<string, { description: string; looksLike: string[] }> = {
  cgnat_mobile: { description: 'app customers on IPv4 carriers whose NAT puts many phones behind one address', looksLike: ['credential_stuffing', 'brute_force', 'distributed_attack'] },
  privacy_vpn: { description: 'online-banking customers at work, behind their employer\'s secure web gateway (cloud exits shared by many)', looksLike: ['token_misuse', 'credential_stuffing'] },
  office_nat: { description: 'tellers at a branch, all behind the branch\'s one address, looking customers up in the portal all day', looksLike: ['exfiltration', 'scraping'] },
  partner_aggregator: { description: 'data aggregators refreshing every linked consent through the FDX API every few hours, several workers at once', looksLike: ['scraping', 'credential_stuffing', 'token_misuse'] },
  cron_walker: { description: 'the statement pre-render job walking every customer in id order, a few a minute', looksLike: ['scraping'] },
  internal_jobs: { description: 'the bank\'s own jobs calling services with their workload identity', looksLike: ['scraping', 'dos'] },
  app_polling: { description: 'the app\'s dashboard left open, refreshing balances and notifications every 30–60 s', looksLike: ['dos', 'scraping'] },
  push_surge: { description: 'a push notification bringing a crowd of customers back into the app within minutes', looksLike: ['dos', 'distributed_attack'] },
  search_bots: { description: 'search-engine and SEO crawlers on the marketing site, some crawling every page', looksLike: ['crawler', 'scraping'] },
  uptime_monitors: { description: 'uptime probes every minute and a scripted sign-in with the monitoring test account every ten minutes', looksLike: ['dos', 'brute_force'] },
  password_typo: { description: 'customers who mistype their password, a few locking themselves out and resetting it', looksLike: ['brute_force'] },
  stale_links: { description: 'old e-mail links to statements no longer kept (410) and search results for retired products (404)', looksLike: ['crawler'] },
};
