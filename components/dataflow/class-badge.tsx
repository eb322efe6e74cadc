import { colourScheme } from '@/components/ui/colour-scheme';
import { classColourIn, classColourVar } from '@/lib/class-palette';

/** A class's colour as a value, for canvas drawing (echarts, cytoscape): lib/class-palette.ts. */
export function classColor(name: string): string {
  return classColourIn(colourScheme(), name);
}

/** A class's colour for CSS: follows the colour scheme by itself, and renders the same on the server. */
export const classColorVar = classColourVar;

/** A sensitive-data class: its name in mono, with its colour as a dot (the name carries the meaning). */
export function ClassBadge({ name }: { name: string }) {
  return (
    <span className="class-badge mono" style={{ ['--class-color' as string]: classColorVar(name) }}>
      {name}
    </span>
  );
}

/** Which way the data went on the edge: in the request (caller → service) or the response (service → caller). */
export function Direction({ value }: { value: 'request' | 'response' }) {
  return value === 'request' ? (
    <span className="direction" title="Sent by the caller in the request">→ request</span>
  ) : (
    <span className="direction" title="Returned by the service in the response">← response</span>
  );
}
