// Secrets may come from files (Docker/Kubernetes secrets mounted read-only) instead of the
// environment, so they stay out of `ps`, crash dumps and orchestrator manifests: `X_FILE`
// names a file whose content is X. Read once, when the configuration is loaded.
import { readFileSync } from 'node:fs';

export const SECRET_FILE_VARIABLES = [
  'DATABASE_URL',
  'AUTH_SECRET',
  'AUTH_SECRET_PREVIOUS',
  'MESHWARD_OIDC_CLIENT_SECRET',
  'MESHWARD_SIGNING_KEY',
  'MESHWARD_SIGNING_KEY_NEXT',
  'MESHWARD_SIGNING_KEY_PREVIOUS',
  'MESHWARD_AUDIT_KEY',
  'MESHWARD_AUDIT_KEY_PREVIOUS',
  'MESHWARD_SECRET_KEY',
  'MESHWARD_SECRET_KEY_PREVIOUS',
] as const;

/** `env` with every `X_FILE` replaced by X (the file's content, without the trailing newline). */
export function withSecretFiles(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (const name of SECRET_FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    delete out[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) throw new Error(`invalid configuration: set ${name} or ${name}_FILE, not both`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`invalid configuration: ${name}_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    text = text.replace(/\s+$/, '');
    if (!text) throw new Error(`invalid configuration: ${name}_FILE: ${file} is empty`);
    out[name] = text;
  }
  return out;
}
