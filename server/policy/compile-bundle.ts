// The compiler the bundle endpoint uses: one policy document to each proxy format.
import type { Compiler } from './bundle';
import { canonical } from './model';
import { activeDenies } from './evaluate';

/** Meshward JSON until the format compilers land: the canonical document with the deny entries in force. */
export const compileBundle: Compiler = (doc, format, now) => {
  if (format !== 'meshward') throw new Error(`the ${format} compiler is not available yet`);
  const c = canonical({ ...doc, deny: activeDenies(doc.deny, now) });
  return { contentType: 'application/json', body: JSON.stringify(c), warnings: [] };
};
