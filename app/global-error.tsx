'use client';

import './globals.css';
import { ErrorPanel } from '@/components/shell/error-panel';

/** The root layout itself failed: this replaces it, so it brings its own document and styles. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <title>Something went wrong · Meshward</title>
        <ErrorPanel error={error} retry={retry} standalone />
      </body>
    </html>
  );
}
