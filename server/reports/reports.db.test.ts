import { asc, eq, sql } from 'drizzle-orm';
import { unzipSync, strFromU8 } from 'fflate';
import { extractText, getDocumentProxy } from 'unpdf';
import { expect, it } from 'vitest';
import { rows, type Db } from '@/db/client';
import { auditLog, detections, policyRevisions, proxies, reports, signInAttempts } from '@/db/schema';
import type { StoredPolicyDocument } from '@/db/schema/policies';
import { audited } from '@/server/audit/append';
import { startSession } from '@/server/auth/sessions';
import type { Actor } from '@/server/context';
import type { AccessEventInput } from '@/server/ingest/event';
import { compactRollups } from '@/server/rollups/compact';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { seedDetection } from '@/server/testing/detections';
import { sha256, type Manifest } from './bundle';
import { downloadReport, generateReport, getReport, listReports } from './generate';
import { reportDownloadResponse } from './http';
import { tableFile } from './pdf';
import { NO_DETECTIONS_STATEMENT } from './sections/attacks';
import { formatValue } from './text';
import type { Section } from './types';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 0, 15);
const FROM = new Date(T0);
const TO = new Date(T0 + DAY);
const NOW = new Date(T0 + DAY + H);

const analyst = actor('analyst');
const admin = actor('admin');
const admin2 = actor('admin', 'usr_admin2');
const viewer = actor('viewer');
const auditor = actor('auditor');
const at = (ms: number) => () => new Date(ms);

const HOSTILE_SERVICE = '=HYPERLINK("http://evil")\nshop/\u202Egnp.exe\u05E9\u05D9\u05E8\u05D5\u05EA\u540D\u524D' + 'x'.repeat(150);

function doc(service: string, allow: StoredPolicyDocument['allow']): StoredPolicyDocument {
  return { service, defaultAction: 'deny', allow, deny: [] };
}

async function policy(db: Db, r: { service: string; revision: number; state: 'draft' | 'published'; at: number; allow: StoredPolicyDocument['allow'] }) {
  const published = r.state === 'published';
  await db.insert(policyRevisions).values({
    id: `pol_${r.service.replace('/', '_')}_${r.revision}`, service: r.service, revision: r.revision, state: r.state, document: doc(r.service, r.allow),
    sha256: `sha-${r.service}-${r.revision}`, editors: [analyst.email], createdBy: analyst.email, createdAt: new Date(r.at - H), updatedAt: new Date(r.at),
    approvedBy: published ? admin2.email : null, approvedAt: published ? new Date(r.at - 60_000) : null,
    publishedBy: published ? admin.email : null, publishedAt: published ? new Date(r.at) : null,
  });
}

const card = (direction: 'request' | 'response', count = 1) => [{ class: 'credit_card', direction, count }];

/** A small mesh over the day: traffic, card data, a policy history, audit entries, sign-ins, proxies, detections. */
async function seed(h: Harness, opts: { hostile?: boolean; detections?: boolean } = {}) {
  await seedAccounts(h.db, analyst, admin, admin2, viewer, auditor);
  const ev: AccessEventInput[] = [];
  for (let i = 0; i < 30; i++) ev.push(event(T0 + H + i * 60_000, `users-get-${i}`, { path: `/api/users/${i + 1}` }));
  for (let i = 0; i < 10; i++) ev.push(event(T0 + 5 * H + i * 60_000, `users-post-${i}`, { method: 'POST', path: '/api/users', route: '/api/users', mtls: false }));
  for (let i = 0; i < 5; i++) {
    ev.push(event(T0 + 14 * H + i * 60_000, `pay-${i}`, {
      srcService: 'external', dstService: 'shop/checkout', method: 'POST', path: '/pay', route: '/pay', mtls: false, tokenId: 'tok-card', sensitive: card('request', 2),
    }));
  }
  for (let i = 0; i < 4; i++) {
    ev.push(event(T0 + 14 * H + i * 60_000 + 1000, `vault-${i}`, {
      srcService: 'shop/checkout', dstService: 'payments/vault', method: 'POST', path: '/v1/cards', route: '/v1/cards', tokenId: null, sensitive: card('request'),
    }));
  }
  for (let i = 0; i < 2; i++) {
    ev.push(event(T0 + 15 * H + i * 60_000, `vault-read-${i}`, {
      srcService: 'shop/checkout', dstService: 'payments/vault', method: 'GET', path: '/v1/cards/42', route: '/v1/cards/{id}', tokenId: 'tok-svc', mtls: i === 0, sensitive: card('response'),
    }));
  }
  if (opts.hostile) {
    ev.push(event(T0 + 16 * H, 'hostile-1', { srcService: HOSTILE_SERVICE, dstService: 'shop/users', route: `/${'\u202E'.repeat(3)}${'y'.repeat(190)}`, tokenId: '=cmd|calc', sensitive: card('request') }));
  }
  // outside the period: never counted
  ev.push(event(T0 - H, 'before', { sensitive: card('request') }), event(T0 + DAY, 'after', { sensitive: card('request') }));
  await ingest(h.db, [{ events: ev, principal }], NOW.getTime());
  await compactRollups(h.db, NOW.getTime(), { span: { from: new Date(T0 - DAY), to: new Date(T0 + 2 * DAY) } });

  const usersRule = [{ caller: 'shop/web', method: 'GET', template: '/api/users/{user_id}', endpointId: null }];
  await policy(h.db, { service: 'shop/users', revision: 1, state: 'published', at: T0 - DAY, allow: usersRule });
  await policy(h.db, { service: 'shop/users', revision: 2, state: 'published', at: T0 + 12 * H, allow: [...usersRule, { caller: 'shop/admin', method: 'GET', template: '/api/users', endpointId: null }] });
  await policy(h.db, { service: 'shop/checkout', revision: 1, state: 'draft', at: T0 + 2 * H, allow: [{ caller: 'external', method: 'POST', template: '/pay', endpointId: null }] });

  const write = (who: Actor | null, ms: number, action: string) =>
    audited(ctxFor(h.db, who, { now: at(ms) }), async (_tx, audit) => audit({ action, targetType: 'x', after: { query: 'service:shop/users' } }));
  await write(admin, T0 - H, 'search.read'); // before the period
  await write(viewer, T0 + 2 * H, 'search.read');
  await write(viewer, T0 + 3 * H, 'search.read');
  await write(analyst, T0 + 4 * H, 'search.export');
  await write(admin, T0 + 5 * H, 'audit.read');
  await write(admin, T0 + 12 * H, 'policy.publish');

  await h.db.insert(signInAttempts).values([
    { ts: new Date(T0 + H), email: 'alice@example.test', ip: '198.51.100.7', success: false, reason: 'bad_password' },
    { ts: new Date(T0 + H + 1000), email: 'alice@example.test', ip: '198.51.100.7', success: false, reason: 'bad_password' },
    { ts: new Date(T0 + 2 * H), email: 'ghost@example.test', ip: '203.0.113.9', success: false, reason: 'unknown_user' },
    { ts: new Date(T0 + 2 * H + 5), email: 'alice@example.test', ip: '198.51.100.7', success: true, reason: 'ok' },
    { ts: new Date(T0 - H), email: 'alice@example.test', ip: '198.51.100.7', success: false, reason: 'bad_password' },
  ]);

  // ingest registered proxy-a already
  for (const p of [
    { id: 'proxy-a', tokenId: 'pt_test', service: 'shop/users', cluster: 'eu-1', intervalS: 30, firstSeenAt: new Date(T0 - 2 * DAY), lastSeenAt: new Date(NOW.getTime() - 10_000) },
    { id: 'proxy-b', tokenId: 'pt_test', service: 'payments/vault', cluster: 'eu-1', intervalS: 30, firstSeenAt: new Date(T0 - 2 * DAY), lastSeenAt: new Date(T0 + 20 * H) },
  ]) {
    await h.db.insert(proxies).values(p).onConflictDoUpdate({ target: proxies.id, set: p });
  }

  if (opts.detections !== false) {
    const d1 = await seedDetection(h.db, { kind: 'brute_force', service: 'shop/users', severity: 'high', start: T0 + 3 * H, end: T0 + 3 * H + 600_000 });
    await seedDetection(h.db, { kind: 'crawler', service: 'shop/checkout', severity: 'low', score: 30, start: T0 + 9 * H, end: T0 + 10 * H });
    await seedDetection(h.db, { kind: 'dos', service: 'shop/users', severity: 'critical', start: T0 - 3 * DAY, end: T0 - 2 * DAY }); // before
    await h.db.update(detections).set({
      state: 'resolved',
      mitigation: { service: 'shop/users', policyId: 'pol_shop_users_2', revision: 2, kind: 'ip', value: '203.0.113.7', expiresAt: new Date(T0 + 2 * DAY).toISOString(), by: admin.email, at: new Date(T0 + 4 * H).toISOString() },
    }).where(eq(detections.id, d1.id));
  }
}

async function count(db: Db, q: ReturnType<typeof sql>): Promise<number> {
  const [r] = await rows<{ n: number | string }>(db, q);
  return Number(r.n);
}

const range = sql`ts >= ${FROM.toISOString()}::timestamptz and ts < ${TO.toISOString()}::timestamptz`;

async function pdfText(pdf: Buffer): Promise<string> {
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(proxy, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

async function stored(h: Harness, id: string) {
  const [r] = await h.db.select({ pdf: reports.pdf, bundle: reports.bundle, pdfSha256: reports.pdfSha256, bundleSha256: reports.bundleSha256 }).from(reports).where(eq(reports.id, id));
  return r;
}

function unzip(bundle: Buffer) {
  const files = unzipSync(new Uint8Array(bundle));
  const manifest = JSON.parse(strFromU8(files['manifest.json'])) as Manifest;
  const sections = (JSON.parse(strFromU8(files['sections.json'])) as { sections: Section[] }).sections;
  return { files, manifest, sections };
}

describeEachEngine('compliance reports', (h) => {
  const ctx = (who: Actor | null = analyst) => ctxFor(h.db, who, { now: at(NOW.getTime()) });

  it('generates a PCI DSS report whose figures match the database, in the PDF and the bundle', async () => {
    await seed(h);
    const report = await generateReport(ctx(), { framework: 'pci_dss_v4', from: FROM, to: TO }, { retentionDays: 90 });
    const { pdf, bundle, pdfSha256, bundleSha256 } = await stored(h, report.id);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(pdf)).toBe(pdfSha256);
    expect(sha256(bundle)).toBe(bundleSha256);
    expect(report.pdfSha256).toBe(pdfSha256);

    const { sections } = unzip(bundle);
    const fig = (id: string) => sections.find((s) => s.id === id)!.figures;
    const text = await pdfText(pdf);
    /** every figure appears in the PDF after its label */
    for (const s of sections) {
      expect(text).toContain(s.title);
      for (const [k, v] of Object.entries(s.figures)) {
        if (typeof v === 'number') expect(text, `${s.id}.${k}`).toContain(`${s.labels[k]} ${formatValue(v)}`);
      }
      expect(s.queries.length).toBeGreaterThan(0);
    }
    expect(text).toContain('Appendix: the queries behind the figures');
    expect(text).toContain('from policy_revisions');

    // 1.x segmentation
    const seg = fig('pci-1-segmentation');
    const all = await count(h.db, sql`select count(*) as n from access_events where ${range}`);
    const covered = await count(h.db, sql`select count(*) as n from access_events where ${range} and dst_service = 'shop/users' and src_service = 'shop/web' and method = 'GET'`);
    expect(all).toBe(51);
    expect(seg.requests_total).toBe(all);
    expect(seg.requests_covered).toBe(covered);
    expect(seg.coverage_pct).toBe(Math.round((covered / all) * 1000) / 10);
    expect(seg).toMatchObject({ services_in_scope: 3, services_enforced: 1, services_shadow_only: 1, services_without_policy: 1, publishes_in_range: 1, approvers_in_range: 1 });
    const segSection = sections.find((s) => s.id === 'pci-1-segmentation')!;
    expect(segSection.tables.find((t) => t.name === 'publish_history')!.rows).toEqual([
      ['shop/users', 2, new Date(T0 + 12 * H).toISOString(), admin.email, admin2.email, new Date(T0 + 12 * H - 60_000).toISOString(), analyst.email, 'yes', null, 'sha-shop/users-2', null],
    ]);
    expect(text).toContain(admin2.email);

    // 3.x/4.x cardholder data
    const chd = fig('pci-3-4-cardholder-data');
    const cardEvents = await count(h.db, sql`select count(*) as n from access_events where ${range} and sensitive @> '[{"class":"credit_card"}]'`);
    const cardMatches = await count(h.db, sql`select coalesce(sum((x->>'count')::int), 0) as n from access_events e, jsonb_array_elements(e.sensitive) x where ${range} and x->>'class' = 'credit_card'`);
    const cardTokens = await count(h.db, sql`select count(distinct token_id) as n from access_events where ${range} and sensitive @> '[{"class":"credit_card"}]'`);
    expect([cardEvents, cardMatches, cardTokens]).toEqual([11, 16, 2]);
    expect(chd).toMatchObject({ data_events: cardEvents, data_matches: cardMatches, tokens: cardTokens, flows: 2, services_handling: 2, flows_all_mtls: 0, flows_partly_mtls: 1, flows_without_mtls: 1 });
    const flows = sections.find((s) => s.id === 'pci-3-4-cardholder-data')!.tables.find((t) => t.name === 'flows')!;
    const vaultPost = flows.rows.find((r) => r[1] === 'payments/vault' && r[3] === 'request')!;
    expect(vaultPost.slice(4, 10)).toEqual([4, 4, 6, 5, 83.3, 'partly mTLS']);

    // 10.x logging
    const lg = fig('pci-10-logging');
    const auditInRange = await count(h.db, sql`select count(*) as n from audit_log where ${range}`);
    const failed = await count(h.db, sql`select count(*) as n from sign_in_attempts where ${range} and not success`);
    expect(failed).toBe(3);
    expect(lg).toMatchObject({
      audit_chain: 'intact', audit_entries: 6, audit_entries_in_range: auditInRange, failed_sign_ins: failed, failed_sign_in_accounts: 2, failed_sign_in_addresses: 2,
      data_access_reads: 4, data_access_people: 3, proxies_silent_at_end: 1, retention_days: 90,
    });
    const silent = sections.find((s) => s.id === 'pci-10-logging')!.tables.find((t) => t.name === 'silent_proxies')!;
    expect(silent.rows.find((r) => r[0] === 'proxy-b')).toEqual(['proxy-b', 'payments/vault', 'eu-1', 'silent at the end of the period', new Date(T0 + 20 * H).toISOString(), null, 4 * 3600, '4h 0m', '4h 0m']);
    // proxy-a stored nothing between 01:30 and 05:00
    expect(silent.rows.find((r) => r[0] === 'proxy-a' && r[4] === new Date(T0 + H + 30 * 60_000).toISOString())?.[5]).toBe(new Date(T0 + 5 * H).toISOString());
    expect(text).toContain('Audit trail hash chain intact');

    // 6.4/11.x attacks
    const atk = fig('pci-6-11-attacks');
    expect(atk).toMatchObject({ detections: 2, severity_high: 1, severity_low: 1, severity_critical: 0, state_resolved: 1, state_open: 1, mitigations: 1, mitigations_published: 1 });
    expect(atk.detection_data).toBeUndefined();

    // the chart and the "more rows" note
    expect(text).toMatch(/Requests per hour \(UTC\)/);
    expect(text).toContain('all requests (wide, light bars)');

    // generation is audited with the hashes, in the same transaction as the row
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'report.generate'));
    expect(entry).toMatchObject({ actorEmail: analyst.email, targetId: report.id, after: expect.objectContaining({ pdfSha256, bundleSha256, framework: 'pci_dss_v4' }) });
  });

  it('bundles every table as CSV with a manifest whose SHA-256s all hold, the PDF included', async () => {
    await seed(h);
    const report = await generateReport(ctx(), { framework: 'pci_dss_v4', from: FROM, to: TO });
    const { bundle, pdf } = await stored(h, report.id);
    const { files, manifest, sections } = unzip(bundle);
    expect(manifest.pdfSha256).toBe(sha256(pdf));
    expect(sha256(files['report.pdf'])).toBe(manifest.pdfSha256);
    expect(manifest.report).toMatchObject({ id: report.id, framework: 'pci_dss_v4', from: FROM.toISOString(), to: TO.toISOString(), generatedBy: analyst.email });
    const listed = manifest.files.map((f) => f.path).sort();
    expect(listed).toEqual(Object.keys(files).filter((f) => f !== 'manifest.json').sort());
    for (const f of manifest.files) {
      expect(sha256(files[f.path]), f.path).toBe(f.sha256);
      expect(files[f.path].byteLength).toBe(f.bytes);
    }
    for (const s of sections) {
      for (const t of s.tables) {
        const csv = strFromU8(files[tableFile(s, t)]);
        expect(csv.split('\r\n')[0]).toBe(t.columns.map((c) => (/[",]/.test(c) ? `"${c}"` : c)).join(','));
        expect(csv.split('\r\n').length).toBe(t.rows.length + 2);
      }
    }
    // a SOC 2 report reuses the evidence under its criteria
    const soc2 = await generateReport(ctx(), { framework: 'soc2', from: FROM, to: TO });
    expect(soc2.summary.map((s) => s.id)).toEqual(['soc2-cc6-6-boundaries', 'soc2-cc6-1-sensitive-data', 'soc2-cc7-2-monitoring', 'soc2-cc7-2-anomalies']);
    expect(soc2.summary[0].figures.requests_total).toBe(report.summary[0].figures.requests_total);
  });

  it('says so when there is no detection data for the period, and honours the scope', async () => {
    await seed(h, { detections: false });
    const report = await generateReport(ctx(), { framework: 'pci_dss_v4', from: FROM, to: TO, scope: { services: ['payments/vault'] } });
    const attacks = report.summary.find((s) => s.id === 'pci-6-11-attacks')!;
    expect(attacks.figures).toMatchObject({ detections: 0, detection_data: NO_DETECTIONS_STATEMENT });
    const { pdf, bundle } = await stored(h, report.id);
    const text = await pdfText(pdf);
    expect(text).toContain(NO_DETECTIONS_STATEMENT);
    const seg = report.summary.find((s) => s.id === 'pci-1-segmentation')!.figures;
    expect(seg).toMatchObject({ services_in_scope: 1, services_enforced: 0, requests_total: 6, requests_covered: 0 });
    // card flows touching the vault only; the silent proxy is the vault's
    const chd = report.summary.find((s) => s.id === 'pci-3-4-cardholder-data')!.figures;
    expect(chd).toMatchObject({ flows: 1, data_events: 6, tokens: 1 });
    expect(report.summary.find((s) => s.id === 'pci-10-logging')!.figures.proxies_silent_at_end).toBe(1);
    expect(unzip(bundle).manifest.report.scope).toEqual({ services: ['payments/vault'], namespaces: [], clusters: [] });
    // namespaces and clusters narrow the same way
    const byNs = await generateReport(ctx(), { framework: 'pci_dss_v4', from: FROM, to: TO, scope: { namespaces: ['shop'], clusters: ['eu-1'] } });
    expect(byNs.summary[0].figures).toMatchObject({ services_in_scope: 1, requests_total: 40 });
  });

  it('prints hostile telemetry (line breaks, formulas, RTL overrides, other scripts, long names) without breaking', async () => {
    await seed(h, { hostile: true });
    const report = await generateReport(ctx(), { framework: 'pci_dss_v4', from: FROM, to: TO });
    const { pdf, bundle } = await stored(h, report.id);
    const text = await pdfText(pdf);
    expect(text).toContain('=HYPERLINK("http://evil") ¶ shop/[U+202E]gnp.exe?????');
    expect(text).not.toContain('\u202E');
    const { files, sections } = unzip(bundle);
    const seg = sections.find((s) => s.id === 'pci-1-segmentation')!;
    const csv = strFromU8(files[tableFile(seg, seg.tables.find((t) => t.name === 'uncovered_routes')!)]);
    // the cell is quoted (it holds a line break) and starts with ' so no spreadsheet runs it
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")\nshop/`);
    const tokens = strFromU8(files[tableFile(sections[1], sections[1].tables.find((t) => t.name === 'tokens')!)]);
    expect(tokens).toContain("'=cmd|calc");
  });

  it('lists the history newest first a page at a time, and audits each download with its artefact', async () => {
    await seed(h, { detections: false });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await generateReport(ctxFor(h.db, analyst, { now: at(NOW.getTime() + i * 1000) }), { framework: 'pci_dss_v4', from: FROM, to: TO })).id);
    }
    const first = await listReports(ctx(viewer), { limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const second = await listReports(ctx(viewer), { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ generatedBy: { id: analyst.id, email: analyst.email }, scheduleId: null, scopeText: 'All services, namespaces and clusters' });
    expect(first.items[0].pdfBytes).toBeGreaterThan(1000);
    expect((await getReport(ctx(viewer), { id: ids[0] })).id).toBe(ids[0]);
    await expect(getReport(ctx(viewer), { id: 'rpt_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const file = await downloadReport(ctx(), { id: ids[0], artefact: 'bundle' });
    expect(file.contentType).toBe('application/zip');
    expect(sha256(file.body)).toBe(file.sha256);
    const entries = await h.db.select().from(auditLog).where(eq(auditLog.action, 'report.download'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorEmail: analyst.email, targetId: ids[0], after: { artefact: 'bundle', sha256: file.sha256 } });
  });

  it('serves downloads over HTTP to analysts and auditors with a session, as attachments, audited', async () => {
    await seed(h, { detections: false });
    const { id, pdfSha256 } = await generateReport(ctx(), { framework: 'pci_dss_v4', from: FROM, to: TO });
    const session = async (who: Actor) => {
      const sessionId = await startSession({ db: h.db, now: () => new Date() }, { userId: who.id, provider: 'credentials', maxAgeS: 3600, userAgent: null, ip: null });
      return { userId: who.id, sessionId, signedInAtMs: Date.now() };
    };
    const req = () => new Request(`http://localhost/api/reports/${id}/pdf`, { headers: { 'x-meshward-client-ip': '192.0.2.44' } });
    const ref = await session(analyst);
    const res = await reportDownloadResponse(req(), { id, artefact: 'pdf' }, { db: h.db, session: async () => ref });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="meshward-pci-dss-v4-2026-01-15-2026-01-15-${id}\\.pdf"$`));
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(pdfSha256);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'report.download'));
    expect(entry).toMatchObject({ actorEmail: analyst.email, sourceIp: '192.0.2.44', after: { artefact: 'pdf' } });

    expect((await reportDownloadResponse(req(), { id, artefact: 'pdf' }, { db: h.db, session: async () => null })).status).toBe(401);
    const viewerRef = await session(viewer);
    expect((await reportDownloadResponse(req(), { id, artefact: 'pdf' }, { db: h.db, session: async () => viewerRef })).status).toBe(403);
    expect((await reportDownloadResponse(req(), { id, artefact: 'exe' }, { db: h.db, session: async () => ref })).status).toBe(404);
    expect((await reportDownloadResponse(req(), { id: 'rpt_missing', artefact: 'bundle' }, { db: h.db, session: async () => ref })).status).toBe(404);
    expect(await h.db.select().from(auditLog).where(eq(auditLog.action, 'report.download'))).toHaveLength(1);

    // the auditor reads the evidence (SPEC "Roles"), and that read is audited under their name and role
    const auditorRef = await session(auditor);
    const bundle = await reportDownloadResponse(req(), { id, artefact: 'bundle' }, { db: h.db, session: async () => auditorRef });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('application/zip');
    const downloads = await h.db.select().from(auditLog).where(eq(auditLog.action, 'report.download')).orderBy(asc(auditLog.id));
    expect(downloads).toHaveLength(2);
    expect(downloads[1]).toMatchObject({ actorEmail: auditor.email, actorRole: 'auditor', targetId: id, after: { artefact: 'bundle' } });
  });

  it('refuses periods it cannot report on', async () => {
    const bad = (from: Date, to: Date) => generateReport(ctx(), { framework: 'pci_dss_v4', from, to });
    await expect(bad(TO, FROM)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(bad(FROM, new Date(NOW.getTime() + DAY))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/must end by now/) });
    await expect(bad(new Date(T0 - 500 * DAY), FROM)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(generateReport(ctx(null), { framework: 'pci_dss_v4', from: FROM, to: TO })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
