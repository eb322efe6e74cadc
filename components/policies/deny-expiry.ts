// The expiry of a deny entry proposed from the traffic views: one of a few fixed spans, or a
// date and time the analyst picks (in their browser's time zone). Bounded as the server bounds
// it, so the form says what is wrong before anything is sent.
import { EXPIRIES } from '@/components/detections/expiry';
import { MAX_DENY_DAYS } from '@/server/detection/triage-steps';

export { MAX_DENY_DAYS };

/** `EXPIRIES` by index, or `date` for a chosen date */
export type ExpiryChoice = `${number}` | 'date';
export const EXPIRY_CHOICES: { value: ExpiryChoice; label: string }[] = [
  ...EXPIRIES.map((x, i) => ({ value: String(i) as ExpiryChoice, label: x.label })),
  { value: 'date', label: 'Until a date…' },
];
export const DEFAULT_EXPIRY: ExpiryChoice = '1';

/**
 * When the entry expires, or what to fix. `date` is an `<input type="datetime-local">` value
 * (`2026-11-24T18:00`), read in the browser's zone.
 */
export function expiryFrom(choice: ExpiryChoice, date: string, now: Date): { at: Date } | { error: string } {
  if (choice !== 'date') {
    const span = EXPIRIES[Number(choice)];
    return span ? { at: new Date(now.getTime() + span.ms) } : { error: 'Choose when the entry expires' };
  }
  if (!date.trim()) return { error: 'Choose the date and time the entry expires' };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(date.trim())) return { error: 'A date and time, like 2026-11-24T18:00' };
  const at = new Date(date.trim());
  if (Number.isNaN(at.getTime())) return { error: 'A date and time, like 2026-11-24T18:00' };
  if (at.getTime() <= now.getTime()) return { error: 'The entry must expire in the future' };
  if (at.getTime() > now.getTime() + MAX_DENY_DAYS * 86_400_000) return { error: `At most ${MAX_DENY_DAYS} days from now; add a longer entry on the policy page` };
  return { at };
}

/** `datetime-local` bounds for the date input: now and MAX_DENY_DAYS ahead, local time. */
export function dateInputBounds(now: Date): { min: string; max: string } {
  const local = (d: Date) => {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  };
  return { min: local(now), max: local(new Date(now.getTime() + MAX_DENY_DAYS * 86_400_000 - 60_000)) };
}
