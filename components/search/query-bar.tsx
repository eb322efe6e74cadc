'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { VALUE_FIELDS, type ValueField } from '@/server/search/value-fields';
import { applyCompletion, completionAt, type Completion } from './completion';
import { quoteValue } from './search-url';

interface Suggestion {
  insert: string;
  label: string;
  detail: string;
}

const KEYWORDS = ['AND', 'OR', 'NOT'];
const isValueField = (f: string): f is ValueField => (VALUE_FIELDS as readonly string[]).includes(f);

/** How long typing must pause before values are asked for. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * The query box: a combobox that completes field names and, after `field:`, the field's most
 * frequent values in the searched range. Enter runs the search (or takes the highlighted
 * suggestion); Escape closes the list. An error from the server is shown under the text with
 * a mark at its column.
 */
export function QueryBar({
  value, onSubmit, window, error, inputRef,
}: {
  value: string;
  onSubmit: (q: string) => void;
  window: { from: Date; to: Date };
  error: { message: string; column: number | null } | null;
  inputRef: React.RefObject<HTMLInputElement | null>;
}) {
  const trpc = useTRPC();
  const [text, setText] = useState(value);
  const [caret, setCaret] = useState(value.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  useEffect(() => setText(value), [value]);

  const fields = useQuery(trpc.search.fields.queryOptions(undefined, { staleTime: Infinity }));
  const context: Completion | null = open ? completionAt(text, caret) : null;
  const valueCtx = context?.kind === 'value' && isValueField(context.field) ? context : null;
  const prefix = useDebounced(valueCtx?.prefix ?? '', 150);
  const values = useQuery(
    trpc.search.values.queryOptions(
      { field: (valueCtx?.field ?? 'service') as ValueField, prefix: prefix || undefined, q: '', from: window.from, to: window.to, limit: 8 },
      { enabled: Boolean(valueCtx), staleTime: 30_000 },
    ),
  );

  const suggestions: Suggestion[] = useMemo(() => {
    if (!context) return [];
    if (context.kind === 'field') {
      const p = context.prefix.toLowerCase();
      const list = (fields.data ?? []).filter((f) => f.name.startsWith(p) && f.name !== p).map((f) => ({ insert: `${f.name}:`, label: f.name, detail: f.description }));
      const kw = KEYWORDS.filter((k) => p && k.toLowerCase().startsWith(p) && k.toLowerCase() !== p).map((k) => ({ insert: `${k} `, label: k, detail: 'operator' }));
      return [...list, ...kw].slice(0, 10);
    }
    if (!valueCtx || !values.data || values.data.field !== valueCtx.field) return [];
    return values.data.values
      .filter((v) => v.value !== valueCtx.prefix)
      .map((v) => ({ insert: `${quoteValue(v.value)} `, label: v.value, detail: `${v.count.toLocaleString()} events` }));
  }, [context, fields.data, valueCtx, values.data]);

  useEffect(() => setActive(-1), [text]);
  const showList = open && suggestions.length > 0;

  const accept = (s: Suggestion) => {
    if (!context) return;
    const next = applyCompletion(text, context, s.insert);
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      const el = inputRef.current;
      if (el) {
        el.focus();
        el.setSelectionRange(next.caret, next.caret);
      }
    });
  };

  const sync = (el: HTMLInputElement) => setCaret(el.selectionStart ?? el.value.length);

  return (
    <form
      className="search-bar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        setOpen(false);
        onSubmit(text.trim());
      }}
    >
      <div className="search-box">
        <label htmlFor="search-q" className="visually-hidden">Query</label>
        <input
          ref={inputRef}
          id="search-q"
          className={`input mono search-input${error ? ' invalid' : ''}`}
          value={text}
          placeholder='client.address:10.2.0.0/16 AND status>=400   ·   endpoint:"/accounts/{id}/statements" AND bytes_out>50kb'
          autoComplete="off"
          spellCheck={false}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? 'search-error' : 'search-help'}
          onChange={(e) => {
            setText(e.target.value);
            sync(e.target);
            setOpen(true);
          }}
          onClick={(e) => sync(e.currentTarget)}
          onKeyUp={(e) => {
            if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') sync(e.currentTarget);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setOpen(false);
              return;
            }
            if (!showList) {
              if (e.key === 'ArrowDown') setOpen(true);
              return;
            }
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const n = suggestions.length;
              setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
            } else if ((e.key === 'Enter' || e.key === 'Tab') && active >= 0) {
              e.preventDefault();
              accept(suggestions[active]);
            }
          }}
        />
        {showList ? (
          <ul className="search-suggest" id={listId} role="listbox" aria-label="Suggestions">
            {suggestions.map((s, i) => (
              <li
                key={s.insert}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                // before the input's blur closes the list
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(s);
                }}
              >
                <span className="mono">{s.label}</span>
                <span className="faint small ellipsis">{s.detail}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <button className="btn primary" type="submit">Search</button>
      {error ? (
        <div id="search-error" className="field-error search-error" role="alert">
          {error.column !== null ? <QueryCaret text={value} column={error.column} /> : null}
          <span>{error.column !== null ? `col ${error.column}: ` : ''}{error.message}</span>
        </div>
      ) : (
        <p id="search-help" className="faint small search-help">
          <span className="mono">field:value</span>, <span className="mono">!=</span> <span className="mono">&gt;</span> <span className="mono">&lt;=</span>, <span className="mono">status:[400 TO 499]</span>, wildcards <span className="mono">*</span> <span className="mono">?</span>, CIDR, quotes, AND / OR / NOT, parentheses; other words search path and user agent. <kbd className="kbd">/</kbd> focuses the box.
        </p>
      )}
    </form>
  );
}

/** The query with a mark under the column an error names. */
function QueryCaret({ text, column }: { text: string; column: number }) {
  const at = Math.max(0, Math.min(column - 1, text.length));
  return (
    <pre className="mono search-caret" aria-hidden="true">
      {text.slice(0, at)}
      <mark>{text.slice(at, at + 1) || ' '}</mark>
      {text.slice(at + 1)}
    </pre>
  );
}
