import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metadata } from 'next';
import Link from 'next/link';
import { CopyButton } from '@/components/ui/copy-button';

export const metadata: Metadata = { title: 'Telemetry with identity' };

// The same files the README points to and the ingest tests feed through the real route
// (server/ingest/telemetry-configs.test.ts), so what is shown here is what was tested.
const FILES = [
  { file: 'istio-meshconfig.yaml', title: 'Istio: the access-log provider', what: 'An envoyOtelAls provider whose labels carry the request and the caller’s certificate (%DOWNSTREAM_PEER_URI_SAN%), sent to an OpenTelemetry Collector.' },
  { file: 'istio-telemetry.yaml', title: 'Istio: turn it on', what: 'A Telemetry resource that logs each request once, at the destination, where the peer certificate is the caller’s.' },
  { file: 'otel-collector.yaml', title: 'OpenTelemetry Collector', what: 'Receives Istio’s gRPC logs, adds the pod’s service name and the cluster (k8sattributes), and forwards them to Meshward’s /v1/logs.' },
  { file: 'envoy-otel-http.yaml', title: 'Plain Envoy', what: 'Envoy’s OpenTelemetry access logger posting OTLP/HTTP straight to /v1/logs, with the same attributes.' },
] as const;

async function load(file: string): Promise<string | null> {
  try {
    return await readFile(path.join(process.cwd(), 'docs', 'telemetry', file), 'utf8');
  } catch {
    return null;
  }
}

/** Copy-paste configurations that send the caller's identity, for the identity warning's link. */
export default async function TelemetryHelpPage() {
  const texts = await Promise.all(FILES.map((f) => load(f.file)));
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Telemetry with the caller&apos;s identity</h1>
          <p>
            Meshward names a caller by the SPIFFE id of its certificate and a destination by its service. A stock Istio or Envoy log format sends neither: every
            request then seems to come from outside the mesh, and a whitelist learned from it would deny the mesh its own traffic. These configurations send both.
            Meshward reads the attributes, not the text body. Callers&apos; service accounts are read back to their services with the settings on{' '}
            <Link href="/settings/clusters">Clusters</Link>. The nginx agent in <span className="mono">integrations/nginx</span> sends the caller header it is given.
          </p>
        </div>
      </div>
      {FILES.map((f, i) => (
        <section className="card" key={f.file} aria-labelledby={`cfg-${i}`}>
          <div className="card-head">
            <h2 id={`cfg-${i}`}>{f.title}</h2>
            <span className="muted mono">docs/telemetry/{f.file}</span>
            {texts[i] ? <CopyButton text={texts[i]!} /> : null}
          </div>
          <div className="card-body stack">
            <p className="muted small">{f.what}</p>
            {texts[i] ? <pre className="config-block">{texts[i]}</pre> : <div className="alert error">docs/telemetry/{f.file} is missing from this installation.</div>}
          </div>
        </section>
      ))}
    </div>
  );
}
