import type { ActorType, DetectionKind, Severity, TriageState } from '@/lib/enums';

/** How the UI names the closed value sets of detection. */
export const KIND_LABEL: Record<DetectionKind, string> = {
  crawler: 'Crawler', brute_force: 'Brute force', credential_stuffing: 'Credential stuffing', scraping: 'Scraping', dos: 'Denial of service',
  exfiltration: 'Data exfiltration', anomalous_sequence: 'Anomalous sequence', token_misuse: 'Token misuse', distributed_attack: 'Distributed attack',
};

export const STATE_LABEL: Record<TriageState, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', false_positive: 'False positive' };

export const SEVERITY_LABEL: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

export const ACTOR_LABEL: Record<ActorType, string> = { token: 'token', user: 'user', ip: 'address', ip_group: 'address group', service: 'service' };

/** `kind` is stored text from the engine: an unknown one is shown as it is. */
export const kindLabel = (k: string) => KIND_LABEL[k as DetectionKind] ?? k;

export function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return 'under a minute';
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60 ? `${m % 60} min` : ''}`.trim();
  return `${Math.round(h / 24)} days`;
}
