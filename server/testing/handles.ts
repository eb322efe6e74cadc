/** Deterministic pronounceable handles: values with no digits, like user names (discovery tests). */
export function handles(n: number, seed = 7): string[] {
  const c = 'bdfgklmnprstvz';
  const v = 'aeiou';
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  const out = new Set<string>();
  while (out.size < n) {
    let s = '';
    const len = 2 + (next() % 3);
    for (let i = 0; i < len; i++) s += c[next() % c.length] + v[next() % v.length];
    out.add(s);
  }
  return [...out];
}
