'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';

/** Downloads the service's OpenAPI 3.1 document: approved endpoints, or all but the rejected. */
export function ExportOpenApi({ service }: { service: string | undefined }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [scope, setScope] = useState<'approved' | 'all'>('approved');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    if (!service) return;
    setBusy(true);
    setError(null);
    try {
      const r = await qc.fetchQuery({ ...trpc.apis.openApi.queryOptions({ service, scope }), staleTime: 0 });
      const blob = new Blob([JSON.stringify(r.document, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${service.replace(/[^\w.-]+/g, '_')}.openapi.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="row export-openapi">
      <label className="visually-hidden" htmlFor="export-scope">Endpoints to export</label>
      <select id="export-scope" className="select" value={scope} onChange={(e) => setScope(e.target.value === 'all' ? 'all' : 'approved')} disabled={!service}>
        <option value="approved">approved only</option>
        <option value="all">approved + to review</option>
      </select>
      <button type="button" className="btn" onClick={download} disabled={!service || busy} title={service ? undefined : 'Pick a service first'}>
        {busy ? 'Exporting…' : 'Export OpenAPI'}
      </button>
      {error ? <span className="danger-text" role="alert">{error}</span> : null}
    </div>
  );
}
