// Names a path parameter after its parent segment (`users` → `user_id`, optic-style), so the
// inventory reads like a spec; falls back to `id` and keeps names unique in one template.

export function singular(word: string): string {
  const w = word.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const lower = w.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  // the -ies words whose singular does not end in -y
  if (/(?:series|species)$/.test(lower)) return lower;
  if (/(?:movies|cookies|calories|zombies|goalies)$/.test(lower)) return lower.slice(0, -1);
  if (lower.endsWith('ies') && lower.length > 4) return lower.slice(0, -3) + 'y';
  if (/(ses|xes|zes|ches|shes)$/.test(lower)) return lower.slice(0, -2);
  // status, analysis, access: an s that is not a plural
  if (lower.endsWith('s') && !/(ss|us|is)$/.test(lower) && lower.length > 3) return lower.slice(0, -1);
  return lower;
}

/** `by-slug`, `by_email`, `byName` (not `bytes`): the parent names the key itself. */
const BY_KEY = /^by(?:[-_]([A-Za-z][\w-]*)|([A-Z][\w-]*))$/;

export function paramName(parent: string | null, taken: Set<string>): string {
  const by = parent ? BY_KEY.exec(parent) : null;
  const base = by ? singular(by[1] ?? by[2]) : parent && /[A-Za-z]/.test(parent) ? `${singular(parent)}_id` : 'id';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}
