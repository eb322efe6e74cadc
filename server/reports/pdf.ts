// The report for people: a title page, a page group per section (statement, figures, charts,
// the first rows of each table) and the queries behind the figures in an appendix. Built-in
// fonts only (Helvetica, Courier); every string from telemetry goes through pdfText.
import PDFDocument from 'pdfkit';
import { describeScope } from './scope';
import { formatValue, pdfText } from './text';
import type { ReportFramework, ReportScope, Section, SectionChart, SectionTable } from './types';

/** Rows of a table printed in the PDF; the bundle has them all. */
export const PDF_TABLE_ROWS = 15;

export interface ReportMeta {
  id: string;
  framework: ReportFramework;
  frameworkName: string;
  title: string;
  scope: ReportScope;
  from: Date;
  to: Date;
  generatedAt: Date;
  /** the person's email, or `schedule <id>` */
  generatedBy: string;
}

/** Where a table's rows are in the evidence bundle (bundle.ts writes them there). */
export function tableFile(section: Pick<Section, 'id'>, table: Pick<SectionTable, 'name'>): string {
  return `tables/${section.id}--${table.name}.csv`;
}

const MARGIN = 50;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MONO = 'Courier';
const INK = '#1a1a1a';
const MUTED = '#5a5a5a';
const RULE = '#c8c8c8';
const BAR = '#9bb8e0';
const BAR2 = '#1f4e8c';

type Doc = PDFKit.PDFDocument;

/** The axis top: the next 1, 2 or 5 times a power of ten at or above `v` (at least 2, so the middle tick is whole). */
export function niceCeil(v: number): number {
  if (!(v > 2)) return 2;
  const exp = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * exp).find((c) => c >= v)!;
}

const utc = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

class Writer {
  readonly doc: Doc;
  constructor(doc: Doc) {
    this.doc = doc;
  }

  get width() {
    return this.doc.page.width - MARGIN * 2;
  }

  get bottom() {
    return this.doc.page.height - MARGIN;
  }

  /** a new page when fewer than `h` points are left */
  need(h: number) {
    if (this.doc.y + h > this.bottom) this.doc.addPage();
  }

  text(s: string, opts: { font?: string; size?: number; color?: string; gap?: number; width?: number; x?: number } = {}) {
    const { doc } = this;
    doc.font(opts.font ?? FONT).fontSize(opts.size ?? 10).fillColor(opts.color ?? INK);
    const width = opts.width ?? this.width;
    const h = doc.heightOfString(s, { width });
    this.need(Math.min(h, 200));
    doc.text(s, opts.x ?? MARGIN, doc.y, { width });
    if (opts.gap) doc.moveDown(opts.gap);
  }

  /** One line of text cut with an ellipsis to fit `width`. */
  fit(s: string, width: number): string {
    const { doc } = this;
    if (doc.widthOfString(s) <= width) return s;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (doc.widthOfString(`${s.slice(0, mid)}\u2026`) <= width) lo = mid;
      else hi = mid - 1;
    }
    return `${s.slice(0, lo)}\u2026`;
  }

  rule() {
    const { doc } = this;
    doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + this.width, doc.y).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.moveDown(0.4);
  }

  figures(section: Section) {
    const { doc } = this;
    const entries = Object.entries(section.figures);
    const labelW = this.width * 0.62;
    const rowH = 14;
    this.text('Figures', { font: BOLD, size: 11, gap: 0.2 });
    for (const [key, value] of entries) {
      doc.font(FONT).fontSize(9);
      const label = pdfText(section.labels[key] ?? key, 200);
      const shown = formatValue(value);
      const valueH = doc.heightOfString(shown, { width: this.width - labelW });
      const h = Math.max(rowH, valueH + 4);
      this.need(h);
      const y = doc.y;
      doc.fillColor(MUTED).text(this.fit(label, labelW - 8), MARGIN, y, { width: labelW - 8, lineBreak: false });
      doc.font(BOLD).fillColor(INK).text(shown, MARGIN + labelW, y, { width: this.width - labelW });
      doc.x = MARGIN;
      doc.y = y + h;
    }
    doc.moveDown(0.6);
  }

  chart(chart: SectionChart) {
    const { doc } = this;
    const height = 130;
    this.need(height + 60);
    this.text(pdfText(chart.title, 200), { font: BOLD, size: 10, gap: 0.3 });
    const pts = chart.points;
    if (pts.length === 0) {
      this.text('No data for this chart in the period.', { color: MUTED, size: 9, gap: 0.8 });
      return;
    }
    const axisW = 46;
    const x0 = MARGIN + axisW;
    const w = this.width - axisW;
    const y0 = doc.y + height; // the baseline
    const max = niceCeil(Math.max(...pts.map((p) => Math.max(p.value, p.value2 ?? 0))));
    doc.font(FONT).fontSize(7).fillColor(MUTED);
    for (const f of [0, 0.5, 1]) {
      const y = y0 - f * height;
      doc.moveTo(x0, y).lineTo(x0 + w, y).lineWidth(0.3).strokeColor(RULE).stroke();
      doc.text(formatValue(max * f), MARGIN, y - 3, { width: axisW - 4, align: 'right', lineBreak: false });
    }
    const slot = w / pts.length;
    const barW = Math.max(0.5, slot * 0.75);
    pts.forEach((p, i) => {
      const x = x0 + i * slot + (slot - barW) / 2;
      const h1 = (p.value / max) * height;
      if (h1 > 0) doc.rect(x, y0 - h1, barW, h1).fill(BAR);
      if (p.value2 !== undefined && p.value2 > 0) {
        const h2 = (p.value2 / max) * height;
        doc.rect(x + barW * 0.2, y0 - h2, barW * 0.6, h2).fill(BAR2);
      }
    });
    // x labels: as many as fit without overlapping
    const every = Math.max(1, Math.ceil(32 / slot));
    doc.font(FONT).fontSize(6.5).fillColor(MUTED);
    pts.forEach((p, i) => {
      if (i % every) return;
      const label = this.fit(pdfText(p.label, 40), slot * every);
      doc.text(label, x0 + i * slot, y0 + 3, { width: slot * every, lineBreak: false });
    });
    // legend: the swatches are also named, so colour is not the only signal
    let lx = x0;
    const ly = y0 + 16;
    chart.legend.forEach((name, i) => {
      doc.rect(lx, ly, 8, 8).fill(i === 0 ? BAR : BAR2);
      const label = i === 0 ? `${pdfText(name, 80)} (wide, light bars)` : `${pdfText(name, 80)} (narrow, dark bars)`;
      doc.font(FONT).fontSize(7.5).fillColor(INK).text(label, lx + 11, ly, { lineBreak: false });
      lx += 11 + doc.widthOfString(label) + 18;
    });
    doc.x = MARGIN;
    doc.y = ly + 20;
  }

  table(section: Section, table: SectionTable) {
    const { doc } = this;
    this.need(60);
    this.text(pdfText(table.title, 300), { font: BOLD, size: 10, gap: 0.2 });
    if (table.rows.length === 0) {
      this.text('None in the period.', { color: MUTED, size: 9, gap: 0.8 });
      return;
    }
    const cols = table.columns.length;
    const size = cols > 8 ? 6.5 : 7.5;
    // widths from the longest shown value per column, within bounds
    doc.font(FONT).fontSize(size);
    const shown = table.rows.slice(0, PDF_TABLE_ROWS).map((r) => r.map((c) => formatValue(c).slice(0, 120)));
    const want = table.columns.map((c, i) => Math.min(160, Math.max(doc.widthOfString(pdfText(c, 60)), ...shown.map((r) => doc.widthOfString(r[i] ?? ''))) + 6));
    const total = want.reduce((a, b) => a + b, 0);
    const widths = want.map((wv) => (wv / total) * this.width);
    const rowH = size + 5;
    const header = () => {
      const y = doc.y;
      doc.rect(MARGIN, y - 1, this.width, rowH).fill('#eeeeee');
      doc.font(BOLD).fontSize(size).fillColor(INK);
      let x = MARGIN;
      table.columns.forEach((c, i) => {
        doc.text(this.fit(pdfText(c, 60), widths[i] - 4), x + 2, y + 1, { width: widths[i] - 4, lineBreak: false });
        x += widths[i];
      });
      doc.x = MARGIN;
      doc.y = y + rowH;
    };
    header();
    shown.forEach((r) => {
      if (doc.y + rowH > this.bottom) {
        doc.addPage();
        header();
      }
      const y = doc.y;
      doc.font(FONT).fontSize(size).fillColor(INK);
      let x = MARGIN;
      r.forEach((c, i) => {
        doc.text(this.fit(c, widths[i] - 4), x + 2, y + 1, { width: widths[i] - 4, lineBreak: false });
        x += widths[i];
      });
      doc.moveTo(MARGIN, y + rowH - 0.5).lineTo(MARGIN + this.width, y + rowH - 0.5).lineWidth(0.25).strokeColor(RULE).stroke();
      doc.x = MARGIN;
      doc.y = y + rowH;
    });
    doc.moveDown(0.3);
    const more = table.rows.length - shown.length;
    const where = tableFile(section, table);
    this.text(
      more > 0 ? `${formatValue(more)} more rows in the evidence bundle (${where}).` : `All ${formatValue(table.rows.length)} rows shown; also in the evidence bundle (${where}).`,
      { color: MUTED, size: 8, gap: 0.8 },
    );
  }
}

/** Renders the report; resolves with the PDF's bytes. */
export function renderReportPdf(meta: ReportMeta, sections: Section[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: true,
    info: {
      Title: pdfText(meta.title, 200),
      Author: pdfText(meta.generatedBy, 200),
      Subject: `${meta.frameworkName} compliance report`,
      Creator: 'Meshward',
      CreationDate: meta.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = new Writer(doc);

  // ---- title page
  doc.y = 150;
  w.text('Meshward compliance report', { size: 12, color: MUTED, gap: 0.3 });
  w.text(pdfText(meta.title, 300), { font: BOLD, size: 22, gap: 1 });
  const facts: [string, string][] = [
    ['Framework', meta.frameworkName],
    ['Scope', pdfText(describeScope(meta.scope), 1500)],
    ['Period', `${utc(meta.from)} to ${utc(meta.to)} (end excluded)`],
    ['Generated at', utc(meta.generatedAt)],
    ['Generated by', pdfText(meta.generatedBy, 300)],
    ['Report id', meta.id],
  ];
  for (const [k, v] of facts) {
    const y = doc.y;
    doc.font(BOLD).fontSize(10).fillColor(MUTED).text(k, MARGIN, y, { width: 100 });
    doc.font(FONT).fillColor(INK).text(v, MARGIN + 110, y, { width: w.width - 110 });
    doc.moveDown(0.4);
  }
  doc.moveDown(1.5);
  w.text('Contents', { font: BOLD, size: 12, gap: 0.3 });
  sections.forEach((s, i) => {
    w.text(`${i + 1}. ${pdfText(s.title, 200)}`, { size: 10 });
    w.text(s.requirements.join(', '), { size: 8, color: MUTED, x: MARGIN + 14, width: w.width - 14, gap: 0.2 });
  });
  w.text(`${sections.length + 1}. Appendix: the queries behind the figures`, { size: 10, gap: 1.5 });
  w.text(
    'The evidence bundle (a zip) holds every table of this report in full as CSV, all sections as JSON (sections.json), this PDF, and manifest.json with the SHA-256 of each file. Times are UTC. Values that came from telemetry are shown as sent, with line breaks, control and direction-changing characters made visible and characters outside the PDF fonts replaced by "?".',
    { size: 8.5, color: MUTED },
  );

  // ---- sections
  sections.forEach((s, i) => {
    doc.addPage();
    w.text(`${i + 1}. ${pdfText(s.title, 200)}`, { font: BOLD, size: 16, gap: 0.2 });
    w.text(s.requirements.join('  |  '), { size: 8.5, color: MUTED, gap: 0.5 });
    w.rule();
    w.text(pdfText(s.statement, 6000), { size: 10, gap: 0.8 });
    w.figures(s);
    for (const c of s.charts) w.chart(c);
    for (const t of s.tables) w.table(s, t);
    if (s.definitions.length) {
      w.need(40);
      w.text('Definitions', { font: BOLD, size: 9.5, gap: 0.2 });
      for (const d of s.definitions) w.text(`- ${pdfText(d, 2000)}`, { size: 8, color: MUTED, gap: 0.2 });
    }
  });

  // ---- appendix
  doc.addPage();
  w.text(`${sections.length + 1}. Appendix: the queries behind the figures`, { font: BOLD, size: 16, gap: 0.3 });
  w.text('Each statement as it was run, its parameters listed after it ($1, $2, ...), so it can be run again against the same database.', { size: 9, color: MUTED, gap: 0.8 });
  sections.forEach((s, i) => {
    w.text(`${i + 1}. ${pdfText(s.title, 200)}`, { font: BOLD, size: 10, gap: 0.3 });
    for (const qtext of s.queries) w.text(qtext.split('\n').map((line) => pdfText(line, 4000)).join('\n'), { font: MONO, size: 6.5, gap: 0.6 });
  });

  // ---- footers, once the page count is known
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(7).fillColor(MUTED).text(
      `Meshward ${meta.frameworkName} report ${meta.id}  -  page ${i + 1} of ${range.count}`,
      MARGIN, doc.page.height - MARGIN / 2 - 4, { width: w.width, align: 'center', lineBreak: false },
    );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
