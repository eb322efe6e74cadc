'use client';

import { ErrorPanel } from '@/components/shell/error-panel';

/**
 * A failure outside a console page: the console's own layout (reading the session, say) or
 * the sign-in pages. No shell to draw it in, so a card of its own.
 */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel error={error} retry={retry} standalone />;
}
