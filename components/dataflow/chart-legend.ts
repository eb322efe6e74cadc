/**
 * A legend in the chart's top-right corner, above the grid. An option's `legend` replaces the
 * chart wrapper's default as a whole, so the placement is restated here.
 */
export const topLegend = (data: string[]) => ({ data, top: 0, right: 0, itemWidth: 12, itemHeight: 8, itemGap: 12 });
