// The compiler the bundle endpoint uses: one policy document to each proxy format, with the
// default mesh options (trust domain `cluster.local`, service account = service name, the
// Meshward filter's token and user headers).
import type { Compiler } from './bundle';
import { compilePolicy } from './compile';

export const compileBundle: Compiler = (doc, format, now) => {
  const c = compilePolicy(doc, format, {}, now);
  return { contentType: c.contentType, body: c.body, warnings: c.warnings };
};
