'use client';

/**
 * What a page that failed to render shows: that it failed, a way to try again and a way back.
 * Never the error's message (a server error's may name tables, hosts or paths): only the digest
 * Next.js gives server errors, which the console log carries beside the full error.
 */
export function ErrorPanel({ error, retry, standalone = false }: { error: unknown; retry: () => void; standalone?: boolean }) {
  const digest = typeof error === 'object' && error !== null && typeof (error as { digest?: unknown }).digest === 'string'
    ? (error as { digest: string }).digest
    : null;
  return (
    <div className={standalone ? 'auth-page' : 'page stack'} data-testid="error-panel">
      <div className={standalone ? 'auth-card' : 'card'} role="alert">
        <div className={standalone ? undefined : 'card-body'}>
          <h1 style={{ marginBottom: 6 }}>Something went wrong</h1>
          <p className="muted" style={{ margin: '0 0 14px' }}>
            This page could not be shown. Trying again often helps; if it keeps failing, tell an administrator
            {digest ? <> and quote the reference <code className="mono" data-testid="error-digest">{digest}</code>, which the console log records with the details</> : null}.
          </p>
          <div className="row">
            <button type="button" className="btn primary" onClick={() => retry()}>Try again</button>
            {/* a full load: the part of the app that failed may be what a client-side navigation needs */}
            <a className="btn" href="/">Go to the overview</a>
          </div>
        </div>
      </div>
    </div>
  );
}
