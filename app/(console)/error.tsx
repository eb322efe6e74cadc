'use client';

import { ErrorPanel } from '@/components/shell/error-panel';

/** A console page that failed to render: the panel inside the shell, which keeps working. */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel error={error} retry={retry} />;
}
