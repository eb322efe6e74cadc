'use client';

import { useEffect, useState } from 'react';
import { COLUMN_IDS, COLUMNS, DEFAULT_COLUMNS, type ColumnId } from './columns';

/**
 * Which columns the table shows, in the table's order; kept in the URL and in saved searches.
 * The boxes follow a click at once, before the URL (and so the table) catches up.
 */
export function ColumnChooser({ value: shown, onChange }: { value: ColumnId[]; onChange: (ids: ColumnId[]) => void }) {
  const [value, setValue] = useState(shown);
  useEffect(() => setValue(shown), [shown]);
  const change = (next: ColumnId[]) => {
    setValue(next);
    onChange(next);
  };
  const toggle = (id: ColumnId) => {
    const next = value.includes(id) ? value.filter((c) => c !== id) : COLUMN_IDS.filter((c) => c === id || value.includes(c));
    if (next.length) change(next);
  };
  return (
    <details className="popover">
      <summary className="btn small">Columns ({value.length})</summary>
      <div className="popover-body" role="group" aria-label="Columns shown">
        {COLUMN_IDS.map((id) => (
          <label key={id} className="check">
            <input type="checkbox" checked={value.includes(id)} disabled={value.length === 1 && value.includes(id)} onChange={() => toggle(id)} />
            {COLUMNS[id].label}
          </label>
        ))}
        <button type="button" className="btn small" onClick={() => change(DEFAULT_COLUMNS)}>Reset to default</button>
      </div>
    </details>
  );
}
