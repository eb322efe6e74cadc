// The compiler the bundle endpoint uses: one policy document to each proxy format, with the
// compile settings of the proxy's cluster (trust domain, service accounts, selector labels;
// server/policy/cluster-settings.ts) and the Meshward filter's token and user headers. compilePolicy reads its own output back and
// throws CompiledOutputError when the text is not exactly what was compiled: the refusal is
// logged here and the error propagates, so bundle.ts signs nothing.
import { log } from '@/server/log';
import type { Compiler } from './bundle';
import { compilePolicy, CompiledOutputError } from './compile';

export const compileBundle: Compiler = (doc, format, now, options) => {
  try {
    const c = compilePolicy(doc, format, options, now);
    return { contentType: c.contentType, body: c.body, warnings: c.warnings };
  } catch (e) {
    // the message names the format, the service (JSON-quoted) and what differed; never the text
    log.error({ format, code: (e as { code?: string }).code ?? 'compile_failed', err: (e as Error).message }, e instanceof CompiledOutputError ? 'compiled policy refused: nothing signed' : 'policy could not be compiled: nothing signed');
    throw e;
  }
};
