import { PALETTE } from '@/components/ui/chart';

// Well-known classes keep one colour across every chart and badge; others hash onto the palette.
const KNOWN: Record<string, string> = {
  credit_card: PALETTE[3],
  ssn: PALETTE[4],
  iban: PALETTE[2],
  email: PALETTE[0],
  phone: PALETTE[5],
  jwt: PALETTE[6],
  api_key: PALETTE[1],
  password: PALETTE[3],
  private_key: PALETTE[4],
};

export function classColor(name: string): string {
  if (KNOWN[name]) return KNOWN[name];
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** A sensitive-data class: its name in mono, with its colour as a dot (the name carries the meaning). */
export function ClassBadge({ name }: { name: string }) {
  return (
    <span className="class-badge mono" style={{ ['--class-color' as string]: classColor(name) }}>
      {name}
    </span>
  );
}

/** Which way the data went on the edge: in the request (caller → service) or the response (service → caller). */
export function Direction({ value }: { value: 'request' | 'response' }) {
  return value === 'request' ? (
    <span className="direction" title="Sent by the caller in the request">→ request</span>
  ) : (
    <span className="direction" title="Returned by the service in the response">← response</span>
  );
}
