import { allOf, clause, searchHref as searchLink } from '@/components/search/search-url';
/** The graph view's URL state besides the time range (that one is useTimeRange's). Pure, so it is unit-tested. */

export type ColourMode = 'errors' | 'data';
export type Selection = { kind: 'node'; service: string } | { kind: 'edge'; src: string; dst: string } | null;

/** Edge caps offered to the viewer; the busiest edges are kept. */
export const TOP_CHOICES = [100, 300, 1000, 2000, 5000] as const;
export const DEFAULT_TOP = 1000;

export interface GraphParams {
  namespaces: string[];
  dataClass: string | null;
  minRequests: number;
  top: number;
  colour: ColourMode;
  find: string;
  hidden: string[];
  selection: Selection;
}

/** `select=node:<service>` or `select=edge:<src>-><dst>` (the form other views link with). */
export function parseSelection(value: string | null): Selection {
  if (!value) return null;
  if (value.startsWith('node:') && value.length > 5) return { kind: 'node', service: value.slice(5) };
  if (value.startsWith('edge:')) {
    const body = value.slice(5);
    const arrow = body.indexOf('->');
    if (arrow > 0 && arrow < body.length - 2) return { kind: 'edge', src: body.slice(0, arrow), dst: body.slice(arrow + 2) };
  }
  return null;
}

export function selectionParam(s: Selection): string | null {
  if (!s) return null;
  return s.kind === 'node' ? `node:${s.service}` : `edge:${s.src}->${s.dst}`;
}

/** The cytoscape id of a selection's element (edges are `src->dst`, nodes their service name). */
export function selectionId(s: Selection): string | null {
  if (!s) return null;
  return s.kind === 'node' ? s.service : `${s.src}->${s.dst}`;
}

export function parseGraphParams(p: URLSearchParams): GraphParams {
  const min = Math.floor(Number(p.get('min') ?? 0));
  const top = Number(p.get('top'));
  return {
    namespaces: [...new Set(p.getAll('ns').filter(Boolean))].sort(),
    dataClass: p.get('class') || null,
    minRequests: Number.isFinite(min) && min > 0 ? Math.min(min, 1e12) : 0,
    top: (TOP_CHOICES as readonly number[]).includes(top) ? top : DEFAULT_TOP,
    colour: p.get('color') === 'data' ? 'data' : 'errors',
    find: (p.get('find') ?? '').trim(),
    hidden: [...new Set(p.getAll('hide').filter(Boolean))].sort(),
    selection: parseSelection(p.get('select')),
  };
}

/** Changes to apply to the URL: a value replaces a parameter, an array repeats it, null removes it. */
export type ParamChanges = Partial<Record<'ns' | 'class' | 'min' | 'top' | 'color' | 'find' | 'hide' | 'select', string | string[] | null>>;

export function applyChanges(current: URLSearchParams, changes: ParamChanges): URLSearchParams {
  const next = new URLSearchParams(current.toString());
  for (const [key, value] of Object.entries(changes)) {
    next.delete(key);
    if (Array.isArray(value)) for (const v of value) next.append(key, v);
    else if (value !== null && value !== undefined && value !== '') next.set(key, value);
  }
  return next;
}

/**
 * The forensics search for the same edge (or the calls to a service) over the same instants:
 * absolute bounds, so the link means the same thing later.
 */
export function searchHref(s: Exclude<Selection, null>, from: Date, to: Date): string {
  const q = s.kind === 'edge' ? allOf(clause('caller', s.src), clause('service', s.dst)) : clause('service', s.service);
  return searchLink(q, { from, to });
}
