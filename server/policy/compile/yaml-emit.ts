// Block-style YAML for plain data (objects, arrays, strings, numbers, booleans), several times
// faster than a general YAML library on the megabytes a large AuthorizationPolicy becomes.
// A string is written plain only when it cannot be read as anything else (no indicator, no
// `: ` or ` #`, not a number, boolean or null in YAML 1.1 or 1.2); otherwise as a JSON string,
// which is a valid YAML double-quoted scalar.
type Data = string | number | boolean | null | Data[] | { [k: string]: Data };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(v: Data): string | null {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return v.length ? null : '[]';
  return Object.keys(v).length ? null : '{}';
}

function emit(v: Data, indent: string, out: string[], first: string): void {
  // `first` is what the first line starts with (`- ` of the enclosing list item, or the indent)
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const lead = i === 0 ? first : indent;
      const s = scalar(item);
      if (s !== null) out.push(`${lead}- ${s}`);
      else emit(item, indent + '  ', out, `${lead}- `);
    });
    return;
  }
  Object.entries(v as { [k: string]: Data }).forEach(([k, val], i) => {
    const lead = i === 0 ? first : indent;
    const key = scalar(k)!;
    const s = scalar(val);
    if (s !== null) out.push(`${lead}${key}: ${s}`);
    else {
      out.push(`${lead}${key}:`);
      emit(val, indent + '  ', out, indent + '  ');
    }
  });
}

/** `data` must be JSON-like: what JSON.stringify would write unchanged. */
export function toYaml(data: unknown): string {
  const v = data as Data;
  const s = scalar(v);
  if (s !== null) return s + '\n';
  const out: string[] = [];
  emit(v, '', out, '');
  return out.join('\n') + '\n';
}
