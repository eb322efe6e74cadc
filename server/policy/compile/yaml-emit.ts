// Block-style YAML for plain data (objects, arrays, strings, numbers, booleans), several times
// faster than a general YAML library on the megabytes a large AuthorizationPolicy becomes.
// A string is written plain only when it cannot be read as anything else (no indicator, no
// `: ` or ` #`, not a number, boolean or null in YAML 1.1 or 1.2); otherwise double-quoted with
// every character outside printable ASCII escaped (`\n`, `\u2028`, `\U0001F600`): the output is
// printable ASCII and newlines only, so no line break a YAML 1.1 reader (go-yaml: U+0085,
// U+2028, U+2029) or a YAML 1.2 reader sees can come from data.
type Data = string | number | boolean | null | Data[] | { [k: string]: Data };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;
const NOT_ASCII = /[\ud800-\udbff][\udc00-\udfff]|[\u007f-\uffff]/g;

export class YamlEmitError extends Error {}

/** A YAML double-quoted scalar holding exactly `s`, in printable ASCII. */
export function yamlQuote(s: string): string {
  if (!s.isWellFormed()) throw new YamlEmitError('YAML cannot hold a lone surrogate (not encodable as UTF-8)');
  // JSON escapes `"`, `\` and C0 controls the way YAML double-quoted scalars read them
  return JSON.stringify(s).replace(NOT_ASCII, (c) =>
    c.length === 2 ? `\\U${c.codePointAt(0)!.toString(16).padStart(8, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function scalar(v: Data): string | null {
  if (v === null) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new YamlEmitError('YAML output holds only finite numbers');
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.test(v) ? v : yamlQuote(v);
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
