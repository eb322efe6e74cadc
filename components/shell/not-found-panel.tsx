import Link from 'next/link';
import { BackButton } from './back-button';

/** Longest path shown back to the visitor (a mistyped link can be long). */
const SHOWN = 160;

/**
 * What an address that leads nowhere shows, inside the console shell: what was asked for, and
 * the ways back. `path` is the pathname only (no query), as React text, never markup.
 */
export function NotFoundPanel({ path }: { path: string | null }) {
  const shown = path && path.length > SHOWN ? `${path.slice(0, SHOWN)}…` : path;
  return (
    <div className="page stack" data-testid="not-found">
      <div className="page-head">
        <div>
          <h1>Page not found</h1>
          <p>
            {shown ? <>There is no page at <code className="mono">{shown}</code> in this console.</> : 'There is no such page in this console.'}
            {' '}The link may be mistyped, or what it pointed to no longer exists.
          </p>
        </div>
      </div>
      <div className="card">
        <div className="empty">
          <strong>Where to go from here</strong>
          <p style={{ margin: '4px 0 14px' }}>Start from the overview or pick a page in the sidebar.</p>
          <div className="row" style={{ justifyContent: 'center' }}>
            <Link className="btn primary" href="/">Go to the overview</Link>
            <BackButton />
          </div>
        </div>
      </div>
    </div>
  );
}

/** The pathname of the page asked for, from the header proxy.ts sets (null when it did not run). */
export function requestedPath(header: string | null): string | null {
  if (!header || !header.startsWith('/') || header.startsWith('//')) return null;
  return header.split(/[?#]/, 1)[0] || null;
}
