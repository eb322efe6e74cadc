import { headers } from 'next/headers';
import { NotFoundPanel, requestedPath } from '@/components/shell/not-found-panel';

/** A console page that called notFound(): the panel inside the console's shell (the group's layout). */
export default async function ConsoleNotFound() {
  return <NotFoundPanel path={requestedPath((await headers()).get('x-meshward-path'))} />;
}
