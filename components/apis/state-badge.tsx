import type { EndpointState } from '@/lib/enums';

const KIND: Record<EndpointState, string> = { learned: 'info', approved: 'ok', rejected: 'danger' };

/** Review state in words (colour repeats it, never replaces it), plus the changed flag. */
export function StateBadge({ state, changed, reason }: { state: EndpointState; changed?: boolean; reason?: string | null }) {
  return (
    <span className="badges">
      <span className={`badge ${KIND[state]}`}>{state}</span>
      {changed ? <span className="badge warn" title={reason ?? 'new evidence regrouped its traffic'}>changed</span> : null}
    </span>
  );
}

/** `GET /users/{user_id}` with the parameters set apart. */
export function TemplateText({ template }: { template: string }) {
  const parts = template.split(/(\{[^}]*\})/);
  return (
    <span className="mono template">
      {parts.map((p, i) => (p.startsWith('{') ? <span key={i} className="template-param">{p}</span> : <Slashes key={i} text={p} />))}
    </span>
  );
}

/** Long templates may wrap after a slash, never inside a word. */
function Slashes({ text }: { text: string }) {
  const bits = text.split('/');
  return (
    <>
      {bits.map((b, i) => (
        <span key={i}>{i > 0 ? <>/<wbr /></> : null}{b}</span>
      ))}
    </>
  );
}
