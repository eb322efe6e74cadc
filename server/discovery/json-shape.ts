// The structure of sampled JSON bodies, merged over samples: which properties appear (and how
// often, for `required`), their types, array items. Bounded in depth and width so a hostile or
// huge body cannot grow it. Values are never kept, only types. Sensitive fields are marked on
// the resulting schema by their JSON path (`$.card.number`, `$.items[*].email`).

const MAX_DEPTH = 8;
const MAX_PROPERTIES = 64;

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** A JSON Schema (2020-12 subset, as OpenAPI 3.1 takes it) with Meshward's sensitive marks. */
export interface ShapeSchema {
  type?: JsonType | JsonType[];
  properties?: Record<string, ShapeSchema>;
  required?: string[];
  items?: ShapeSchema;
  /** sensitive-data classes reported at this path */
  'x-meshward-sensitive'?: string[];
}

class ShapeNode {
  seen = 0;
  /** how many of the values seen here were objects: `required` compares property counts with it */
  objects = 0;
  types = new Set<JsonType>();
  properties: Map<string, ShapeNode> | null = null;
  items: ShapeNode | null = null;

  add(v: unknown, depth: number): void {
    this.seen++;
    const t = typeOfValue(v);
    this.types.add(t);
    if (depth >= MAX_DEPTH) return;
    if (t === 'object') {
      this.objects++;
      this.properties ??= new Map();
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        // a key PostgreSQL's jsonb cannot hold (a NUL, a lone surrogate) would keep the whole schema from being stored
        if (!storableKey(k)) continue;
        let n = this.properties.get(k);
        if (!n) {
          if (this.properties.size >= MAX_PROPERTIES) continue;
          n = new ShapeNode();
          this.properties.set(k, n);
        }
        n.add(child, depth + 1);
      }
    } else if (t === 'array') {
      for (const item of v as unknown[]) (this.items ??= new ShapeNode()).add(item, depth + 1);
    }
  }

  mergeInto(t: ShapeNode): void {
    t.seen += this.seen;
    t.objects += this.objects;
    for (const x of this.types) t.types.add(x);
    if (this.properties) {
      t.properties ??= new Map();
      for (const [k, n] of this.properties) {
        let m = t.properties.get(k);
        if (!m) {
          if (t.properties.size >= MAX_PROPERTIES) continue;
          m = new ShapeNode();
          t.properties.set(k, m);
        }
        n.mergeInto(m);
      }
    }
    if (this.items) this.items.mergeInto((t.items ??= new ShapeNode()));
  }

  schema(): ShapeSchema {
    const types = [...this.types].sort();
    // an integer seen next to fractions is a number
    const merged = types.includes('number') ? types.filter((x) => x !== 'integer') : types;
    const out: ShapeSchema = { type: merged.length === 1 ? merged[0] : merged };
    if (this.properties && this.properties.size > 0) {
      out.properties = {};
      const required: string[] = [];
      for (const [k, n] of [...this.properties].sort(([a], [b]) => (a < b ? -1 : 1))) {
        out.properties[k] = n.schema();
        if (n.seen >= this.objects) required.push(k);
      }
      if (required.length > 0) out.required = required;
    }
    if (this.items) out.items = this.items.schema();
    return out;
  }

}

function storableKey(k: string): boolean {
  return !k.includes('\u0000') && k.isWellFormed();
}

function typeOfValue(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    default:
      return 'object';
  }
}

export class JsonShape {
  private root = new ShapeNode();
  /** samples that were not JSON (HTML error pages, truncated text) */
  unparsed = 0;

  get samples(): number {
    return this.root.seen;
  }

  addText(text: string): void {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      this.unparsed++;
      return;
    }
    this.root.add(v, 0);
  }

  add(value: unknown): void {
    this.root.add(value, 0);
  }

  mergeInto(t: JsonShape): void {
    this.root.mergeInto(t.root);
    t.unparsed += this.unparsed;
  }

  /** The merged schema, or null before the first parsed sample. */
  schema(): ShapeSchema | null {
    return this.root.seen === 0 ? null : this.root.schema();
  }
}

/** `$.items[*].email` → ['items', '[*]', 'email']. */
export function pathParts(path: string): string[] {
  const out: string[] = [];
  for (const part of path.replace(/^\$\.?/, '').split('.')) {
    if (part === '') continue;
    const m = /^(.*?)((?:\[\*\]|\[\d+\])*)$/.exec(part)!;
    if (m[1]) out.push(m[1]);
    for (let i = 0; i < m[2].length; ) {
      const close = m[2].indexOf(']', i);
      out.push('[*]');
      i = close + 1;
    }
  }
  return out;
}

/**
 * Marks `classes` on the schema node at `path`, creating the nodes a sample did not show (a
 * filter may report a field no sampled body carried). Returns the schema it was given.
 */
export function markSensitive(schema: ShapeSchema, path: string, cls: string): ShapeSchema {
  let node = schema;
  for (const part of pathParts(path)) {
    if (part === '[*]') {
      node.type ??= 'array';
      node = node.items ??= {};
    } else {
      node.type ??= 'object';
      node.properties ??= {};
      node = node.properties[part] ??= {};
    }
  }
  const marks = (node['x-meshward-sensitive'] ??= []);
  if (!marks.includes(cls)) marks.push(cls);
  marks.sort();
  return schema;
}
