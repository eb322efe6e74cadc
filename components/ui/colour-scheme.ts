import type { ColourScheme } from '@/lib/class-palette';

/**
 * The page's colour scheme now, for what draws on canvas (charts, the graph), where CSS variables
 * and `@media (prefers-color-scheme)` do not reach. Dark on the server and where it cannot be told.
 */
export function colourScheme(): ColourScheme {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}
