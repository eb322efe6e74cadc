import type { ReactNode } from 'react';

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: { message: string } | null; onRetry?: () => void }) {
  return (
    <div className="card-body">
      <div className="alert error" role="alert">
        <span style={{ flex: 1 }}>Could not load this: {error?.message ?? 'unknown error'}</span>
        {onRetry ? <button className="btn small" onClick={onRetry}>Retry</button> : null}
      </div>
    </div>
  );
}

export function LoadingRows({ columns, rows = 4 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} aria-hidden="true">
          {Array.from({ length: columns }, (_, c) => (
            <td key={c}><div className="skeleton" style={{ width: `${50 + ((r * 7 + c * 13) % 40)}%` }} /></td>
          ))}
        </tr>
      ))}
    </>
  );
}
