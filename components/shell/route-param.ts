import { notFound } from 'next/navigation';

/**
 * The id a detail page's `[id]` segment names (App Router hands it over still percent-encoded),
 * or the console's not-found page when it cannot name anything: broken percent-encoding,
 * blank, or longer than any id the server looks up (it would refuse it as bad input).
 */
export function idFromSegment(segment: string, max = 64): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    notFound();
  }
  if (!id.trim() || id.length > max) notFound();
  return id;
}
