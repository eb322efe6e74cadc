'use client';

import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  BrushComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent,
  DataZoomComponent, MarkLineComponent, BrushComponent, CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * Text for a tooltip formatter's HTML: echarts puts a formatter's string in as markup, and
 * service names, token ids and classes come from telemetry.
 */
export const tooltipText = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Series colours that stay distinguishable on dark and light backgrounds. */
export const PALETTE = ['#4c8dff', '#2fbf71', '#f0a53a', '#f0524f', '#a77bf3', '#22b8cf', '#e46fb0', '#9aa5b1'];

function themeColors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { text: v('--text'), muted: v('--muted'), faint: v('--faint'), border: v('--border'), panel: v('--panel-2') };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` laid on `base` one level deep, so a chart that sets `axisLabel.rotate` keeps the themed colour. */
function under(base: Obj, over: unknown): Obj {
  if (!isObj(over)) return base;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(base[k]) ? { ...base[k], ...v } : v;
  return out;
}

/** Axis, grid and tooltip styling from the console's CSS variables, under the caller's option. */
function themed(option: ChartOption): ChartOption {
  const c = themeColors();
  const axis = {
    axisLine: { lineStyle: { color: c.border } },
    axisTick: { lineStyle: { color: c.border } },
    axisLabel: { color: c.muted, fontSize: 11 },
    splitLine: { lineStyle: { color: c.border, type: 'dashed' } },
    nameTextStyle: { color: c.muted },
  };
  const merge = (x: unknown) => (Array.isArray(x) ? x.map((a) => under(axis, a)) : x ? under(axis, x) : x);
  const legend = { textStyle: { color: c.muted }, top: 0, right: 0, itemWidth: 12, itemHeight: 8 };
  return {
    color: PALETTE,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'inherit', color: c.text },
    animationDuration: 300,
    grid: { left: 48, right: 16, top: 28, bottom: 28, containLabel: false },
    tooltip: { backgroundColor: c.panel, borderColor: c.border, textStyle: { color: c.text, fontSize: 12 } },
    ...option,
    legend: ((l: unknown) => (Array.isArray(l) ? l.map((x) => under(legend, x)) : under(legend, l)))((option as { legend?: unknown }).legend),
    xAxis: merge((option as { xAxis?: unknown }).xAxis),
    yAxis: merge((option as { yAxis?: unknown }).yAxis),
  };
}

/** The brush component a brushable chart needs, added under the caller's option. */
function brushable(option: ChartOption, on: boolean): ChartOption {
  if (!on) return option;
  return { brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', transformable: false, brushStyle: { color: 'rgba(76,141,255,0.18)', borderColor: '#4c8dff', borderWidth: 1 } }, ...option };
}

/**
 * One echarts instance in a div that follows its container's size. The caller describes the
 * chart in `option`; clicks on data come back through `onClick` (so figures can link on).
 */
export function Chart({
  option, height = 220, label, onClick, onBrush,
}: {
  option: ChartOption;
  height?: number;
  label: string;
  onClick?: (params: { name?: string; seriesName?: string; data?: unknown; value?: unknown; dataIndex?: number }) => void;
  /** drag across a time axis to select [from, to] in axis units (ms); the selection is cleared after */
  onBrush?: (range: [number, number]) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const brush = useRef(onBrush);
  brush.current = onBrush;
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    const el = ref.current!;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (p) => click.current?.(p as never));
    instance.on('brushEnd', (p) => {
      const area = (p as { areas?: { coordRange?: unknown }[] }).areas?.[0];
      const r = area?.coordRange;
      instance.dispatchAction({ type: 'brush', areas: [] });
      if (Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'number' && r[1] > r[0]) brush.current?.([r[0], r[1]]);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    // Colours come from CSS variables, which change with the colour scheme.
    const scheme = window.matchMedia('(prefers-color-scheme: light)');
    const recolour = () => instance.setOption(themed(brushable(latest.current, Boolean(brush.current))), { notMerge: true });
    scheme.addEventListener('change', recolour);
    return () => {
      scheme.removeEventListener('change', recolour);
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.setOption(themed(brushable(option, Boolean(brush.current))), { notMerge: true });
    // dragging selects at once, without a toolbox button first
    if (brush.current) instance.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
  }, [option]);

  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
