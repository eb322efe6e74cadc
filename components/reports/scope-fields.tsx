'use client';

export interface ScopeText {
  services: string;
  namespaces: string;
  clusters: string;
}

export const EMPTY_SCOPE_TEXT: ScopeText = { services: '', namespaces: '', clusters: '' };

/** The scope of a report: services, namespaces and clusters, comma-separated; all empty is the whole fleet. */
export function ScopeFields({ idPrefix, value, onChange }: { idPrefix: string; value: ScopeText; onChange: (v: ScopeText) => void }) {
  const field = (key: keyof ScopeText, label: string, placeholder: string) => (
    <div className="field">
      <label htmlFor={`${idPrefix}-${key}`}>{label}</label>
      <input id={`${idPrefix}-${key}`} className="input" value={value[key]} placeholder={placeholder} onChange={(e) => onChange({ ...value, [key]: e.target.value })} />
    </div>
  );
  return (
    <>
      {field('services', 'Services', 'all (e.g. payments/api, shop/*)')}
      {field('namespaces', 'Namespaces', 'all (e.g. payments)')}
      {field('clusters', 'Clusters', 'all')}
    </>
  );
}
