// charts.js — ECharts, tree-shaken to the charts the dashboards use, and
// the mapping from a query result ({columns, rows}) and a tile's x / y /
// series to an ECharts option.
import * as echarts from 'echarts/core';
import { LineChart, BarChart, PieChart, ScatterChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, PieChart, ScatterChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent,
  VisualMapComponent, DataZoomComponent, CanvasRenderer]);

export { echarts };

const isNum = (v) => v !== null && v !== '' && !isNaN(Number(v));

// fields resolves the tile's x, y and series columns against the result.
export function fields(tile, res) {
  const cols = res.columns;
  const idx = (name) => cols.findIndex((c) => c.toLowerCase() === String(name).toLowerCase());
  let xi = tile.x ? idx(tile.x) : 0;
  if (xi < 0) xi = 0;
  const si = tile.series ? idx(tile.series) : -1;
  let yi = (tile.y || []).map(idx).filter((i) => i >= 0);
  if (!yi.length) {
    yi = cols.map((_, i) => i).filter((i) => i !== xi && i !== si && res.rows.slice(0, 50).every((r) => r[i] == null || isNum(r[i])));
  }
  return { xi, yi, si };
}

// option builds the ECharts option of a tile; throws when the result
// cannot be drawn as that chart.
export function option(tile, res, dark) {
  const { xi, yi, si } = fields(tile, res);
  const { columns, rows } = res;
  const base = {
    backgroundColor: 'transparent', animation: false,
    tooltip: {
      trigger: tile.chart === 'pie' || tile.chart === 'scatter' || tile.chart === 'heatmap' ? 'item' : 'axis', confine: true,
      backgroundColor: dark ? '#171b23' : '#ffffff', borderColor: dark ? '#2b3240' : '#d9dde5', textStyle: { color: dark ? '#dde3ec' : '#1c2330' },
    },
    textStyle: { color: dark ? '#dde3ec' : '#1c2330' },
  };
  if (!yi.length && tile.chart !== 'heatmap') throw new Error('No numeric column to plot; set y.');
  const axisColor = dark ? '#98a2b3' : '#5d6778';
  const axis = (type, extra) => ({ type, axisLabel: { color: axisColor }, axisLine: { lineStyle: { color: axisColor } }, splitLine: { lineStyle: { color: dark ? '#2b3240' : '#e5e8ee' } }, ...extra });
  const grid = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };
  switch (tile.chart) {
    case 'pie':
      return { ...base, legend: { type: 'scroll', bottom: 0, textStyle: { color: axisColor } }, series: [{ type: 'pie', radius: ['35%', '70%'], center: ['50%', '45%'],
        data: rows.map((r) => ({ name: String(r[xi]), value: Number(r[yi[0]]) })) }] };
    case 'scatter': {
      const groups = group(rows, si);
      return { ...base, grid, legend: si >= 0 ? { top: 0, textStyle: { color: axisColor } } : undefined, xAxis: axis('value', { name: columns[xi], scale: true }), yAxis: axis('value', { name: columns[yi[0]], scale: true }),
        series: [...groups].map(([name, rs]) => ({ type: 'scatter', name, symbolSize: 8, data: rs.map((r) => [Number(r[xi]), Number(r[yi[0]])]) })) };
    }
    case 'heatmap': {
      const yc = si >= 0 ? si : yi.length > 1 ? yi[0] : -1;
      const vi = si >= 0 ? yi[0] : yi[yi.length - 1];
      if (yc < 0 || vi == null) throw new Error('A heatmap needs x, series (the y axis) and a numeric y.');
      const xs = uniq(rows.map((r) => String(r[xi]))), ys = uniq(rows.map((r) => String(r[yc])));
      const vals = rows.map((r) => Number(r[vi]));
      return { ...base, grid: { ...grid, bottom: 40 }, xAxis: axis('category', { data: xs }), yAxis: axis('category', { data: ys }),
        visualMap: { min: Math.min(...vals), max: Math.max(...vals), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, textStyle: { color: axisColor } },
        series: [{ type: 'heatmap', data: rows.map((r) => [xs.indexOf(String(r[xi])), ys.indexOf(String(r[yc])), Number(r[vi])]) }] };
    }
    case 'line': case 'area': case 'bar': case 'stacked_bar': {
      const type = tile.chart === 'line' || tile.chart === 'area' ? 'line' : 'bar';
      const cats = uniq(rows.map((r) => String(r[xi])));
      let series;
      if (si >= 0) {
        series = [...group(rows, si)].map(([name, rs]) => {
          const m = new Map(rs.map((r) => [String(r[xi]), Number(r[yi[0]])]));
          return { name, data: cats.map((c) => (m.has(c) ? m.get(c) : null)) };
        });
      } else {
        series = yi.map((i) => ({ name: columns[i], data: rows.map((r) => (r[i] == null ? null : Number(r[i]))) }));
      }
      series = series.map((s) => ({ ...s, type, showSymbol: cats.length < 60, connectNulls: true,
        ...(tile.chart === 'area' ? { areaStyle: { opacity: 0.25 }, stack: si >= 0 ? 'total' : undefined } : {}),
        ...(tile.chart === 'stacked_bar' ? { stack: 'total' } : {}) }));
      return { ...base, grid, legend: series.length > 1 ? { type: 'scroll', top: 0, textStyle: { color: axisColor } } : undefined,
        xAxis: axis('category', { data: si >= 0 ? cats : rows.map((r) => String(r[xi])), boundaryGap: type === 'bar' }), yAxis: axis('value'), series };
    }
    default:
      throw new Error('Chart ' + tile.chart + ' is not an ECharts chart.');
  }
}

function uniq(a) { return [...new Set(a)]; }

function group(rows, si) {
  const m = new Map();
  for (const r of rows) {
    const k = si >= 0 ? String(r[si]) : 'value';
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(r);
  }
  return m;
}

// kpiValue reads a KPI from the first row: the value is y[0] (else the
// first numeric column), the previous value y[1] (else a column named
// prev* / previous*), when the query returns it itself.
export function kpiValue(res, tile = {}) {
  const row = res.rows[0] || [];
  const cols = res.columns.map((c) => c.toLowerCase());
  const col = (name) => (name ? cols.indexOf(String(name).toLowerCase()) : -1);
  let vi = col(tile.y?.[0]);
  if (vi < 0) vi = row.findIndex((v, i) => isNum(v) && !/^prev/.test(cols[i]));
  let pi = col(tile.y?.[1]);
  if (pi < 0) pi = cols.findIndex((c, i) => i !== vi && /^prev/.test(c));
  const num = (i) => (i >= 0 && isNum(row[i]) ? Number(row[i]) : null);
  return { value: num(vi), label: vi >= 0 ? res.columns[vi] : '', inlinePrev: num(pi) };
}
