// One entry for the bundle endpoint: a policy document compiled to a proxy's format.
import type { PolicyDocument } from '../model';
import { compileEnvoyRbac } from './envoy-rbac';
import { compileIstio } from './istio';
import { compileMeshward } from './meshward';
import { compileNginx, nginxSources } from './nginx';
import type { CompileOptions } from './options';
import { verifyEncodable, verifyEnvoy, verifyIstio, verifyMeshward, verifyNginx } from './verify';

export type { CompileOptions } from './options';
export { CompiledOutputError } from './verify';
export const POLICY_FORMATS = ['meshward', 'envoy-rbac', 'istio', 'nginx'] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];

export interface CompiledPolicy {
  format: PolicyFormat;
  contentType: string;
  body: string;
  /** what the format could not express exactly (always narrower: it denies more), and what the operator must configure */
  warnings: string[];
}

/**
 * Deny entries expired at `now` are left out, so the result depends on `now` only through
 * the set of entries in force. The text is read back and checked against what was compiled
 * (verify.ts) before it is returned: a CompiledOutputError means nothing may be signed.
 */
export function compilePolicy(doc: PolicyDocument, format: PolicyFormat, options: CompileOptions = {}, now: Date = new Date()): CompiledPolicy {
  verifyEncodable(doc, format);
  switch (format) {
    case 'meshward': {
      const r = compileMeshward(doc, options, now);
      verifyMeshward(r, doc.service);
      return { format, contentType: 'application/json', body: r.json, warnings: r.warnings };
    }
    case 'envoy-rbac': {
      const r = compileEnvoyRbac(doc, options, now);
      const yaml = options.envoy?.encoding === 'yaml';
      verifyEnvoy(r, doc.service, yaml ? r.yaml : undefined);
      return { format, contentType: yaml ? 'application/yaml' : 'application/json', body: yaml ? r.yaml : r.json, warnings: r.warnings };
    }
    case 'istio': {
      const r = compileIstio(doc, options, now);
      verifyIstio(r, doc.service);
      return { format, contentType: 'application/yaml', body: r.yaml, warnings: r.warnings };
    }
    case 'nginx': {
      // two parts for two places in nginx.conf (integrations/nginx writes them to meshward-http.conf and meshward-server.conf)
      const r = compileNginx(doc, options, now);
      verifyNginx(r, doc.service, nginxSources(options));
      return { format, contentType: 'application/json', body: JSON.stringify({ service: doc.service, http: r.httpConf, server: r.serverConf }), warnings: r.warnings };
    }
  }
}
