import { isDomainError } from '@/server/errors';
import { jsonError, requireSessionPermission, type SessionGateDeps } from '@/server/http/session-actor';
import { log } from '@/server/log';
import { ARTEFACTS, downloadReport, type Artefact } from './generate';

const STATUS = { BAD_REQUEST: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, TOO_MANY_REQUESTS: 429 } as const;

/**
 * `GET /api/reports/{id}/{pdf|bundle}`: the stored PDF or evidence bundle, for analysts,
 * admins and auditors, as an attachment with its SHA-256 in a header; each download is audited (`report.download`).
 */
export async function reportDownloadResponse(req: Request, params: { id: string; artefact: string }, deps: SessionGateDeps): Promise<Response> {
  const gate = await requireSessionPermission(req, deps, 'downloadReports');
  if (!gate.ok) return gate.response;
  if (!(ARTEFACTS as readonly string[]).includes(params.artefact)) return jsonError(404, 'A report has two downloads: pdf and bundle');
  try {
    const file = await downloadReport(gate.ctx, { id: params.id, artefact: params.artefact as Artefact });
    return new Response(new Uint8Array(file.body), {
      headers: {
        'content-type': file.contentType,
        'content-length': String(file.body.byteLength),
        'content-disposition': `attachment; filename="${file.filename}"`,
        'x-content-sha256': file.sha256,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (e) {
    if (isDomainError(e)) return jsonError(STATUS[e.code], e.message);
    log.error({ err: e, report: params.id.slice(0, 100) }, 'report download failed');
    return jsonError(500, 'The report could not be read: retry, or see the console log');
  }
}
