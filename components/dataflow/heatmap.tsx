'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { useTRPC } from '@/components/trpc';
import { Chart, tooltipText, type ChartOption } from '@/components/ui/chart';
import { colourScheme } from '@/components/ui/colour-scheme';
import { compact, full } from '@/components/ui/format';
import { Empty, ErrorState } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import { ChartSkeleton } from './chart-frame';
import { allOf, clause, searchHref, viewRange } from '@/components/search/search-url';
import { graphHref, tokenHref } from './links';
import { liveOptions } from './live';
import { sortClasses } from '@/lib/class-palette';

const LIMIT = 20;
const ROW_PX = 24;
const shortKey = (k: string) => (k.length > 22 ? `${k.slice(0, 21)}…` : k);

/**
 * Sequential, one hue, low to high: a cell's colour says "how much", never "which kind" (the
 * class palette is for that). Light to dark on the light scheme, dark to light on the dark one,
 * so more always stands out more. A cell with no matches is not coloured at all: it is drawn as
 * a dashed outline, so "none" never reads as "a little".
 */
const SEQUENCE = {
  dark: ['#1e3a5f', '#2b5a94', '#3f7fd6', '#86b2f5', '#d3e4ff'],
  light: ['#dbe8fb', '#a3c3f0', '#5b92e0', '#2a64bf', '#0d3b82'],
};
/** where along SEQUENCE the cell's figure turns from light ink to dark (dark scheme) or back */
const INK_TURN = 0.6;

interface Props {
  range: TimeRangeState;
  dimension: 'service' | 'token';
  dataClass?: string;
}

/**
 * Class × service or class × token. Colour follows log(matches) so one huge cell does not wash
 * out the rest; every cell also shows its figure. A click on a cell searches its requests (the
 * service or token with that class); the table view below has the same links for keyboards,
 * and its first column opens the service in the graph or the token's page.
 */
export function SensitiveHeatmap({ range, dimension, dataClass }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const q = useQuery(trpc.dataflow.matrix.queryOptions({ range: range.input, dimension, class: dataClass, limit: LIMIT }, liveOptions(range)));
  const m = q.data;
  const href = (key: string) => (dimension === 'service' ? graphHref(range.query, { node: key }) : tokenHref(range.query, key));
  const noun = dimension === 'service' ? 'services' : 'tokens';
  // a cell's requests in search: the service is the one called (as the matrix counts it)
  const cellSearch = (key: string, dataClass: string) =>
    searchHref(allOf(clause(dimension === 'service' ? 'service' : 'token', key), clause('class', dataClass)), viewRange(range));
  const title = dimension === 'service' ? 'Class × service' : 'Class × token';
  const height = m ? Math.max(140, m.keys.length * ROW_PX + 64) : 300;

  // one column order in both heatmaps and every table: lib/class-palette.ts
  const classes = useMemo(() => (m ? sortClasses(m.classes) : []), [m]);
  const option = useMemo<ChartOption | null>(() => {
    if (!m || !m.keys.length) return null;
    const x = new Map(classes.map((c, i) => [c, i]));
    const y = new Map(m.keys.map((k, i) => [k.key, i]));
    const byCell = new Map(m.cells.map((c) => [`${c.key}\u001f${c.class}`, c]));
    const data: Array<[number, number, number, number, number]> = [];
    for (const k of m.keys) {
      for (const c of classes) {
        const cell = byCell.get(`${k.key}\u001f${c}`);
        // -1: below the colour scale, drawn as an empty outline
        data.push([x.get(c)!, y.get(k.key)!, cell?.matches ? Math.log10(1 + cell.matches) : -1, cell?.matches ?? 0, cell?.events ?? 0]);
      }
    }
    const max = Math.max(1, ...data.map((d) => d[2]));
    const light = colourScheme() === 'light';
    const css = typeof document === 'undefined' ? null : getComputedStyle(document.documentElement);
    const faint = css?.getPropertyValue('--faint').trim() || '#5d6d82';
    // dark cells carry white figures, light ones dark figures
    const inkFor = (t: number) => ((light ? t >= 1 - INK_TURN : t < INK_TURN) ? '#ffffff' : '#0b1017');
    const items = data.map((d) =>
      d[2] < 0
        ? { value: d, itemStyle: { borderColor: faint, borderWidth: 1, borderType: 'dashed' as const } }
        : { value: d, label: { color: inkFor(d[2] / max) } },
    );
    // Class names are long (credit_card, private_key): upright labels collide beyond a few columns.
    const rotate = classes.length > 4;
    return {
      grid: { left: dimension === 'token' ? 150 : 140, right: 12, top: rotate ? 56 : 30, bottom: 6 },
      tooltip: {
        formatter: (p: { value: [number, number, number, number, number] }) => {
          const [xi, yi, , matches, events] = p.value;
          const key = m.keys[yi]?.key ?? '';
          const cls = tooltipText(classes[xi] ?? '');
          if (!matches) return `<b>${tooltipText(key)}</b><br/><span style="font-family:monospace">${cls}</span>: none in this range`;
          return `<b>${tooltipText(key)}</b><br/><span style="font-family:monospace">${cls}</span>: ${full(matches)} matches in ${full(events)} events<div style="opacity:.7;margin-top:4px">Click to search these requests</div>`;
        },
      },
      xAxis: {
        type: 'category', position: 'top', data: classes, splitArea: { show: false }, axisTick: { show: false }, axisLine: { show: false },
        axisLabel: {
          interval: 0, rotate: rotate ? 30 : 0, fontFamily: 'monospace', fontSize: 11,
          formatter: (v: string) => (v === dataClass ? `{sel|${v}}` : v),
          rich: { sel: { fontWeight: 'bold', fontFamily: 'monospace', fontSize: 11, textDecoration: 'underline' } },
        },
      },
      yAxis: {
        type: 'category', inverse: true, data: m.keys.map((k) => k.key), axisTick: { show: false }, axisLine: { show: false },
        axisLabel: { formatter: shortKey, fontFamily: dimension === 'token' ? 'monospace' : undefined, fontSize: 11 },
      },
      visualMap: {
        show: false, min: 0, max, dimension: 2,
        inRange: { color: light ? SEQUENCE.light : SEQUENCE.dark },
        outOfRange: { color: 'rgba(0,0,0,0)' },
      },
      series: [{
        type: 'heatmap', data: items, progressive: 0,
        itemStyle: { borderColor: 'rgba(0,0,0,0)', borderWidth: 2, borderRadius: 3 },
        label: { show: true, fontSize: 10.5, formatter: (p: { value: number[] }) => (p.value[3] ? compact(p.value[3]) : '') },
        emphasis: { itemStyle: { borderColor: '#ffffff', borderWidth: 1 } },
      }],
    };
  }, [m, classes, dataClass, dimension]);

  return (
    <section className="card" aria-labelledby={`heat-${dimension}`}>
      <div className="card-head">
        <h2 id={`heat-${dimension}`}>{title}</h2>
        {m && m.keys.length ? (
          <span className="muted">
            {m.totalKeys > m.keys.length ? `top ${m.keys.length} of ${m.totalKeys} ${noun}` : `${m.keys.length} ${noun}`}
            {dataClass ? <> that carried <code>{dataClass}</code></> : null} · matches
            {dimension === 'service' ? ' · each row is the service called: the receiver of what requests carried, the sender of what responses carried' : null}
          </span>
        ) : null}
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : q.isPending ? (
        <div className="card-body"><ChartSkeleton height={300} /></div>
      ) : !option ? (
        <Empty title={dataClass ? `No ${noun} carried ${dataClass} in this range` : `No sensitive data in this range`}>
          {dimension === 'token' ? 'Only requests with a token (meshward.token_id) appear here. ' : ''}Widen the range, or check that proxies report in <Link href="/fleet">Fleet</Link>.
        </Empty>
      ) : (
        <>
          <div className="card-body chart-body">
            <Chart option={option} height={height} label={`${title}: sensitive-data matches per class for the top ${noun}`}
              onClick={(p) => {
                const v = p.value as number[] | undefined;
                const key = v === undefined ? undefined : m!.keys[v[1]]?.key;
                const cls = v === undefined ? undefined : classes[v[0]];
                if (key && cls && v![3] > 0) router.push(cellSearch(key, cls));
              }} />
          </div>
          <details className="table-view">
            <summary>Table view</summary>
            <div className="table-wrap">
              <table className="table compact-table">
                <thead><tr><th>{dimension === 'service' ? 'Service' : 'Token'}</th><th className="num">Matches</th>{classes.map((c) => <th key={c} className="num mono">{c}</th>)}</tr></thead>
                <tbody>
                  {m!.keys.map((k) => (
                    <tr key={k.key}>
                      <td><Link className={dimension === 'token' ? 'mono token-id' : undefined} href={href(k.key)}>{k.key}</Link></td>
                      <td className="num">{full(k.matches)}</td>
                      {classes.map((c) => {
                        const cell = m!.cells.find((x) => x.key === k.key && x.class === c);
                        return <td key={c} className="num">{cell ? <Link href={cellSearch(k.key, c)} title={`Search the requests of ${k.key} that carried ${c}`}>{full(cell.matches)}</Link> : <span className="faint">·</span>}</td>;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
