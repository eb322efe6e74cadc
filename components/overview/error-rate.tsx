import { percent } from '@/components/ui/format';

/** A 5xx share as text, tinted past 1 % and 5 % (the figure itself always shows). */
export function ErrorRate({ value, title }: { value: number; title?: string }) {
  const level = value >= 0.05 ? 'danger' : value >= 0.01 ? 'warn' : null;
  return (
    <span className={level ? `rate ${level}` : 'rate'} title={title}>
      {level === 'danger' ? '▲ ' : null}{percent(value)}
    </span>
  );
}
