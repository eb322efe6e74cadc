// The evidence for auditors: a zip of every section table as CSV, all sections as JSON, the PDF
// and a manifest with the SHA-256 of each file (and of the PDF, named on its own).
import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { describeScope } from './scope';
import { tableFile, type ReportMeta } from './pdf';
import { toCsv } from './text';
import type { Section } from './types';

export const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  report: {
    id: string; framework: string; frameworkName: string; title: string; scope: ReportMeta['scope']; scopeText: string;
    from: string; to: string; generatedAt: string; generatedBy: string;
  };
  pdfSha256: string;
  files: ManifestFile[];
}

/** The zip's bytes and its manifest. Entries carry the generation time, so the same input gives the same zip. */
export function buildBundle(meta: ReportMeta, sections: Section[], pdf: Buffer): { zip: Buffer; manifest: Manifest } {
  const files: [string, Uint8Array][] = [];
  for (const s of sections) {
    for (const t of s.tables) files.push([tableFile(s, t), strToU8(toCsv(t.columns, t.rows))]);
  }
  files.push(['sections.json', strToU8(JSON.stringify({ report: meta, sections }, null, 2))]);
  files.push(['report.pdf', new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)]);
  const pdfSha256 = sha256(pdf);
  const manifest: Manifest = {
    report: {
      id: meta.id, framework: meta.framework, frameworkName: meta.frameworkName, title: meta.title, scope: meta.scope, scopeText: describeScope(meta.scope),
      from: meta.from.toISOString(), to: meta.to.toISOString(), generatedAt: meta.generatedAt.toISOString(), generatedBy: meta.generatedBy,
    },
    pdfSha256,
    files: files.map(([path, data]) => ({ path, bytes: data.byteLength, sha256: sha256(data) })),
  };
  const mtime = meta.generatedAt;
  const entries: Zippable = {};
  for (const [path, data] of files) entries[path] = [data, { mtime, level: path === 'report.pdf' ? 0 : 6 }];
  entries['manifest.json'] = [strToU8(JSON.stringify(manifest, null, 2)), { mtime, level: 6 }];
  return { zip: Buffer.from(zipSync(entries)), manifest };
}
