'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { PRESETS } from '@/server/traffic/time-range';
import type { SearchState } from './use-search-state';

type Range = { preset: string } | { from: string; to: string };
interface Saved {
  id: string;
  name: string;
  query: string;
  range: Range;
  columns: string[];
  visibility: 'private' | 'team';
  owner: { email: string; name: string };
  mine: boolean;
}

/** The URL parameters that open a saved search. */
function paramsOf(s: Saved): Record<string, string | null> {
  const preset = 'preset' in s.range ? s.range.preset : null;
  return {
    q: s.query || null,
    range: preset,
    from: 'from' in s.range ? s.range.from : null,
    to: 'to' in s.range ? s.range.to : null,
    cols: s.columns.length ? s.columns.join(',') : null,
    saved: s.id,
  };
}

/** The range of the current view as a saved search keeps it: a preset keeps following "now". */
function rangeOf(state: SearchState): Range {
  if (state.range.live && state.range.preset && state.range.preset in PRESETS) return { preset: state.range.preset };
  return { from: state.window.from.toISOString(), to: state.window.to.toISOString() };
}

const rangeText = (r: Range) => ('preset' in r ? `last ${r.preset}` : `${r.from.slice(0, 16).replace('T', ' ')} → ${r.to.slice(0, 16).replace('T', ' ')} UTC`);

/**
 * Saved searches: a list to open (one's own and the team's), saving the current view (private
 * or shared with the team), and a link to the one open. Opening `/search?saved=<id>` applies it.
 */
export function SavedSearches({ state, canSave, isAdmin }: { state: SearchState; canSave: boolean; isAdmin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.search.saved.list.queryOptions());
  const current = (list.data as Saved[] | undefined)?.find((x) => x.id === state.saved) ?? null;
  const [dialog, setDialog] = useState(false);
  const [removing, setRemoving] = useState<Saved | null>(null);
  const menu = useRef<HTMLDetailsElement>(null);

  // A link to a saved search carries only its id: apply what it keeps, once.
  const linked = useQuery(trpc.search.saved.get.queryOptions({ id: state.saved ?? '' }, { enabled: Boolean(state.saved) && !state.query.match(/(^|&)(q|range|from)=/) }));
  const { update } = state;
  useEffect(() => {
    if (linked.data && !state.query.match(/(^|&)(q|range|from)=/)) update(paramsOf(linked.data as Saved));
  }, [linked.data, state.query, update]);

  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.search.saved.list.queryKey() });
  const remove = useMutation(trpc.search.saved.remove.mutationOptions({
    onSuccess: (r) => {
      void invalidate();
      setRemoving(null);
      if (state.saved === r.id) update({ saved: null });
    },
  }));

  const open = (s: Saved) => {
    update(paramsOf(s));
    if (menu.current) menu.current.open = false;
  };

  return (
    <>
      <details className="popover" ref={menu}>
        <summary className="btn small">Saved searches{list.data ? ` (${list.data.length})` : ''}</summary>
        <div className="popover-body saved-list" role="group" aria-label="Saved searches">
          {list.isPending ? <p className="muted small" role="status">Loading…</p> : null}
          {list.isError ? <p className="field-error" role="alert">Could not load saved searches: {list.error.message}</p> : null}
          {list.data && !list.data.length ? <p className="muted small">No saved searches yet. Run a search, then Save it to come back to it or share it with the team.</p> : null}
          {(list.data as Saved[] | undefined)?.map((s) => (
            <div key={s.id} className="saved-item">
              <button type="button" className="btn link saved-open" onClick={() => open(s)} title={s.query || '(every event)'}>
                <strong>{s.name}</strong>
                <span className="faint small mono ellipsis">{s.query || '(every event)'}</span>
                <span className="faint small">{rangeText(s.range)} · {s.visibility === 'team' ? `shared${s.mine ? '' : ` by ${s.owner.name || s.owner.email}`}` : 'private'}</span>
              </button>
              {s.mine || isAdmin ? <button type="button" className="btn tiny danger" aria-label={`Delete saved search ${s.name}`} onClick={() => setRemoving(s)}>Delete</button> : null}
            </div>
          ))}
        </div>
      </details>
      {canSave ? <button type="button" className="btn small" onClick={() => setDialog(true)}>Save…</button> : null}
      {current ? (
        <span className="saved-current small">
          <span className="muted">Saved search:</span> <strong data-testid="saved-current">{current.name}</strong>
          {current.visibility === 'team' ? <span className="badge">team</span> : <span className="badge">private</span>}
          <CopyButton text={typeof window === 'undefined' ? `/search?saved=${current.id}` : `${window.location.origin}/search?saved=${current.id}`} label="Copy link" />
        </span>
      ) : null}
      <SaveDialog open={dialog} state={state} current={current?.mine ? current : null} onClose={() => setDialog(false)} onSaved={(s) => { void invalidate(); update({ saved: s.id }); }} />
      <Dialog
        open={removing !== null}
        title="Delete saved search"
        onClose={() => { setRemoving(null); remove.reset(); }}
        onSubmit={() => removing && remove.mutate({ id: removing.id })}
        footer={<>
          <button type="button" className="btn" onClick={() => setRemoving(null)}>Cancel</button>
          <button type="submit" className="btn danger solid" disabled={remove.isPending}>{remove.isPending ? 'Deleting…' : 'Delete'}</button>
        </>}
      >
        <p>Delete <strong>{removing?.name}</strong>{removing?.visibility === 'team' ? ' for the whole team' : ''}? Links to it will stop working.</p>
        {remove.isError ? <p className="field-error" role="alert">{remove.error.message}</p> : null}
      </Dialog>
    </>
  );
}

function SaveDialog({ open, state, current, onClose, onSaved }: {
  open: boolean;
  state: SearchState;
  current: Saved | null;
  onClose: () => void;
  onSaved: (s: { id: string }) => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<'private' | 'team'>('private');
  const [asNew, setAsNew] = useState(true);
  useEffect(() => {
    if (!open) return;
    setName(current?.name ?? '');
    setVisibility(current?.visibility ?? 'private');
    setAsNew(!current);
  }, [open, current]);
  const done = (s: { id: string }) => {
    onSaved(s);
    close();
  };
  const create = useMutation(trpc.search.saved.create.mutationOptions({ onSuccess: done }));
  const change = useMutation(trpc.search.saved.update.mutationOptions({ onSuccess: done }));
  const m = asNew ? create : change;
  const close = () => {
    create.reset();
    change.reset();
    onClose();
  };
  const body = { name: name.trim(), query: state.q, range: rangeOf(state), columns: state.columns, visibility };
  const valid = body.name.length > 0 && body.name.length <= 120;
  return (
    <Dialog
      open={open}
      title="Save search"
      onClose={close}
      onSubmit={() => {
        if (!valid) return;
        if (asNew) create.mutate(body);
        else if (current) change.mutate({ id: current.id, ...body });
      }}
      footer={<>
        <button type="button" className="btn" onClick={close}>Cancel</button>
        <button type="submit" className="btn primary" disabled={!valid || m.isPending}>{m.isPending ? 'Saving…' : asNew ? 'Save' : 'Save changes'}</button>
      </>}
    >
      <div className="field">
        <label htmlFor="saved-name">Name</label>
        <input id="saved-name" className="input" value={name} maxLength={120} autoFocus onChange={(e) => setName(e.target.value)} placeholder="e.g. Card data leaving payments" />
      </div>
      <div className="field">
        <span className="muted small">Query</span>
        <code className="mono small saved-query">{state.q || '(every event)'}</code>
        <span className="hint">{rangeText(rangeOf(state))} · {state.columns.length} columns</span>
      </div>
      <fieldset className="radio-group">
        <legend>Who can open it</legend>
        <label className="check"><input type="radio" name="saved-vis" checked={visibility === 'private'} onChange={() => setVisibility('private')} /> Only me</label>
        <label className="check"><input type="radio" name="saved-vis" checked={visibility === 'team'} onChange={() => setVisibility('team')} /> Everyone on the team (read-only for them)</label>
      </fieldset>
      {current ? (
        <label className="check"><input type="checkbox" checked={asNew} onChange={(e) => setAsNew(e.target.checked)} /> Save as a new search instead of changing “{current.name}”</label>
      ) : null}
      {m.isError ? <p className="field-error" role="alert">{m.error.message}</p> : null}
    </Dialog>
  );
}
