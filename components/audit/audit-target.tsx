import Link from 'next/link';
import type { AuditTargetView } from '@/server/audit/targets';

/**
 * The Target cell of an audit entry: each target by its name, linked to its page, with the id
 * beneath (what the entry records). A target that no longer exists is shown by its id alone.
 */
export function AuditTarget({ type, targets, more }: { type: string; targets: AuditTargetView[]; more: number }) {
  const kind = <span className="faint small">{type.replace(/_/g, ' ')}</span>;
  if (!targets.length) return kind;
  return (
    <div className="audit-target">
      {kind}
      {targets.map((t) => (
        <div key={t.id}>
          {t.label === null ? (
            <span className="mono faint nowrap" title="No longer exists: shown by its id">{t.id}</span>
          ) : (
            <>
              {t.href ? <Link href={t.href}>{t.label}</Link> : <span>{t.label}</span>}
              {t.detail ? <span className="faint"> · {t.detail}</span> : null}
              <div className="mono faint small nowrap">{t.id}</div>
            </>
          )}
        </div>
      ))}
      {more > 0 ? <div className="faint small">and {more.toLocaleString()} more (see Details)</div> : null}
    </div>
  );
}
