// The periods a report covers, as a person picks them: whole UTC days, weeks and months.

export type PeriodChoice = 'last_24h' | 'last_7d' | 'last_30d' | 'prev_month' | 'custom';

export const PERIOD_LABELS: Record<PeriodChoice, string> = {
  last_24h: 'Last 24 hours',
  last_7d: 'Last 7 days',
  last_30d: 'Last 30 days',
  prev_month: 'Previous calendar month (UTC)',
  custom: 'Custom (UTC dates)',
};

const DAY = 86_400_000;

/**
 * [from, to) of a choice at `now`. Custom takes inclusive UTC dates (`2026-11-01` to
 * `2026-11-30` covers all of November). Null when a custom period is incomplete or backwards.
 */
export function periodOf(choice: PeriodChoice, now: Date, custom: { from: string; to: string } = { from: '', to: '' }): { from: Date; to: Date } | null {
  const t = now.getTime();
  switch (choice) {
    case 'last_24h':
      return { from: new Date(t - DAY), to: now };
    case 'last_7d':
      return { from: new Date(t - 7 * DAY), to: now };
    case 'last_30d':
      return { from: new Date(t - 30 * DAY), to: now };
    case 'prev_month': {
      const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
      return { from, to };
    }
    case 'custom': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(custom.from) || !/^\d{4}-\d{2}-\d{2}$/.test(custom.to)) return null;
      const from = new Date(`${custom.from}T00:00:00Z`);
      const to = new Date(new Date(`${custom.to}T00:00:00Z`).getTime() + DAY);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) return null;
      return { from, to: to > now ? now : to };
    }
  }
}

/** `a, b ,, c` → ['a', 'b', 'c'], each once. */
export const listOf = (text: string) => [...new Set(text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean))];
