/**
 * Layout positions kept in localStorage, keyed by the set of services shown, so a reload (or
 * the same view opened again) draws the same picture instead of a fresh force layout.
 */

export type Positions = Record<string, { x: number; y: number }>;

const PREFIX = 'meshward.graph.layout.';
const INDEX = 'meshward.graph.layouts';
/** Layouts kept; the oldest is dropped beyond this. */
export const KEPT_LAYOUTS = 12;

/** FNV-1a over the sorted ids: a short, stable key for a set of names. */
export function layoutKey(ids: readonly string[]): string {
  const sorted = [...ids].sort();
  let h = 0x811c9dc5;
  for (const id of sorted) {
    for (let i = 0; i < id.length; i++) {
      h ^= id.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0x1f; // separator, so ["ab","c"] and ["a","bc"] differ
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${sorted.length}-${h.toString(36)}`;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The positions saved for exactly these ids, or null (a partial or foreign entry counts as none). */
export function loadLayout(store: Store, ids: readonly string[]): Positions | null {
  try {
    const raw = store.getItem(PREFIX + layoutKey(ids));
    if (!raw) return null;
    const saved = JSON.parse(raw) as Positions;
    for (const id of ids) {
      const p = saved[id];
      if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return null;
    }
    return saved;
  } catch {
    return null;
  }
}

export function saveLayout(store: Store, ids: readonly string[], positions: Positions): void {
  const key = layoutKey(ids);
  try {
    const index = (JSON.parse(store.getItem(INDEX) ?? '[]') as string[]).filter((k) => k !== key);
    index.push(key);
    while (index.length > KEPT_LAYOUTS) store.removeItem(PREFIX + index.shift()!);
    store.setItem(PREFIX + key, JSON.stringify(positions));
    store.setItem(INDEX, JSON.stringify(index));
  } catch {
    // Storage full or disabled: the next visit lays out afresh, nothing else is lost.
  }
}
