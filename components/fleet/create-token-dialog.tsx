'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { CopyButton } from '@/components/ui/copy-button';
import { splitScope } from '@/server/fleet/scope';

export function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [services, setServices] = useState('');
  const create = useMutation(
    trpc.fleet.createToken.mutationOptions({
      onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.fleet.pathKey() }),
    }),
  );
  const close = () => {
    setName('');
    setServices('');
    create.reset();
    onClose();
  };
  const created = create.data;
  const origin = typeof window === 'undefined' ? 'http://localhost:3000' : window.location.origin;

  if (created) {
    return (
      <Dialog open={open} title="Token created" onClose={close} footer={<button type="button" className="btn primary" onClick={close}>Done</button>}>
        <div className="alert warn">Copy this token now. It is shown only once; Meshward keeps only a hash of it.</div>
        <div className="field">
          <span className="label">Token for {created.name} ({created.services.join(', ')})</span>
          <div className="secret" data-testid="new-token">{created.token}</div>
          <div><CopyButton text={created.token} label="Copy token" /></div>
        </div>
        <div className="field">
          <span className="label">Send a test event</span>
          <pre className="code">{`curl -X POST ${origin}/api/ingest/envoy \\
  -H 'Authorization: Bearer <token>' \\
  -H 'Content-Type: application/x-ndjson' \\
  --data-binary '{"start_time":"${new Date().toISOString()}","method":"GET","path":"/healthz","response_code":200}'`}</pre>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog
      open={open}
      title="Create proxy token"
      onClose={close}
      onSubmit={() => create.mutate({ name, services: splitScope(services) })}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className="btn primary" disabled={create.isPending || !name.trim() || !splitScope(services).length}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor="token-name">Name</label>
        <input id="token-name" className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus required placeholder="prod-eu-1 sidecars" />
        <span className="hint">Which cluster or proxies will use it. Proxies send it as <code>Authorization: Bearer …</code>.</span>
      </div>
      <div className="field">
        <label htmlFor="token-services">Services</label>
        <input id="token-services" className="input mono" value={services} onChange={(e) => setServices(e.target.value)} required placeholder="shop/orders, shop/*" aria-describedby="token-services-hint" />
        <span className="hint" id="token-services-hint">
          The services it serves, comma-separated: <code>shop/orders</code>, <code>shop/*</code> for a namespace, <code>*</code> for a gateway.
          It can fetch only their policy bundles and report only their traffic.
        </span>
      </div>
      {create.error ? <div className="alert error" role="alert">{create.error.message}</div> : null}
    </Dialog>
  );
}
