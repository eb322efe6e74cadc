import { describe, expect, it } from 'vitest';
import { KEPT_LAYOUTS, layoutKey, loadLayout, saveLayout } from './layout-cache';

class MemoryStore {
  items = new Map<string, string>();
  getItem(k: string) { return this.items.get(k) ?? null; }
  setItem(k: string, v: string) { this.items.set(k, v); }
  removeItem(k: string) { this.items.delete(k); }
}

describe('layout cache', () => {
  it('keys a set of services whatever their order, and tells sets apart', () => {
    expect(layoutKey(['b', 'a'])).toBe(layoutKey(['a', 'b']));
    expect(layoutKey(['ab', 'c'])).not.toBe(layoutKey(['a', 'bc']));
    expect(layoutKey(['a'])).not.toBe(layoutKey(['a', 'b']));
  });

  it('gives back the positions saved for the same set only', () => {
    const store = new MemoryStore();
    saveLayout(store, ['a', 'b'], { a: { x: 1, y: 2 }, b: { x: 3, y: 4 } });
    expect(loadLayout(store, ['b', 'a'])).toEqual({ a: { x: 1, y: 2 }, b: { x: 3, y: 4 } });
    expect(loadLayout(store, ['a'])).toBeNull();
    expect(loadLayout(store, ['a', 'b', 'c'])).toBeNull();
  });

  it('treats a damaged or incomplete entry as none', () => {
    const store = new MemoryStore();
    saveLayout(store, ['a', 'b'], { a: { x: 1, y: 2 } });
    expect(loadLayout(store, ['a', 'b'])).toBeNull();
    store.setItem(`meshward.graph.layout.${layoutKey(['z'])}`, '{not json');
    expect(loadLayout(store, ['z'])).toBeNull();
  });

  it(`keeps the ${KEPT_LAYOUTS} most recent layouts`, () => {
    const store = new MemoryStore();
    for (let i = 0; i <= KEPT_LAYOUTS; i++) saveLayout(store, [`s${i}`], { [`s${i}`]: { x: i, y: i } });
    expect(loadLayout(store, ['s0'])).toBeNull();
    expect(loadLayout(store, [`s${KEPT_LAYOUTS}`])).toEqual({ [`s${KEPT_LAYOUTS}`]: { x: KEPT_LAYOUTS, y: KEPT_LAYOUTS } });
    expect([...store.items.keys()].filter((k) => k.startsWith('meshward.graph.layout.'))).toHaveLength(KEPT_LAYOUTS);
  });

  it('survives a store that refuses writes', () => {
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
    expect(() => saveLayout(full, ['a'], { a: { x: 0, y: 0 } })).not.toThrow();
  });
});
