import { ClassBadge } from '@/components/dataflow/class-badge';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  'x-meshward-sensitive'?: string[];
}

const typeText = (s: Schema) => (Array.isArray(s.type) ? s.type.join(' | ') : s.type ?? 'any');

/** A JSON schema as an indented list of fields, sensitive ones marked with their classes. */
export function SchemaTree({ schema }: { schema: Schema }) {
  return (
    <ul className="schema-tree" aria-label="Response body fields">
      <Fields schema={schema} />
    </ul>
  );
}

function Fields({ schema }: { schema: Schema }) {
  const rows: React.ReactNode[] = [];
  if (schema.properties) {
    for (const [name, child] of Object.entries(schema.properties)) {
      rows.push(<Field key={name} name={name} schema={child} optional={!schema.required?.includes(name)} />);
    }
  } else if (schema.items) {
    rows.push(<Field key="[]" name="[ ]" schema={schema.items} optional={false} />);
  }
  return <>{rows}</>;
}

function Field({ name, schema, optional }: { name: string; schema: Schema; optional: boolean }) {
  const nested = schema.properties || schema.items;
  const marks = schema['x-meshward-sensitive'] ?? [];
  return (
    <li>
      <span className="schema-field">
        <span className="mono">{name}</span>
        {optional ? <span className="faint">?</span> : null}
        <span className="schema-type mono">{typeText(schema)}</span>
        {marks.map((c) => <ClassBadge key={c} name={c} />)}
      </span>
      {nested ? (
        <ul>
          <Fields schema={schema} />
        </ul>
      ) : null}
    </li>
  );
}
