// views/tile.js — one dashboard tile: runs its query (with auto-refresh),
// draws it (ECharts, KPI or table), exports PNG / CSV, and in edit mode
// moves and resizes on the 12-column grid.
import { h, clear, download } from '../dom.js';
import { echarts, option, kpiValue } from '../charts.js';
import { createGrid } from '../grid.js';
import { toCSV } from '../csv.js';
import { isDark } from '../settings.js';

const GAP = 10, ROW = 64;

export function createTile(tile, ctx) {
  const body = h('div', { class: 'tbody' });
  const status = h('span', { class: 'tstatus' });
  const pngBtn = h('button', { title: 'Export PNG', onclick: () => exportPNG() }, 'PNG');
  const el = h('section', { class: 'tile', 'data-tile': tile.id },
    h('div', { class: 'thead' }, h('span', { class: 'title' }, tile.title || tile.id), status,
      pngBtn, h('button', { title: 'Export CSV', onclick: () => last && download((tile.title || tile.id) + '.csv', toCSV(last.columns, last.rows), 'text/csv') }, 'CSV'),
      h('button', { title: 'Refresh', onclick: () => refresh() }, '↻'),
      h('button', { title: 'Edit', class: 'edit-tile', onclick: () => ctx.edit() }, '✎'),
      h('button', { title: 'Remove', class: 'danger', onclick: () => confirm('Remove tile ' + (tile.title || tile.id) + '?') && ctx.remove() }, '✕')),
    body, h('div', { class: 'resize', title: 'Resize' }));
  pngBtn.style.display = tile.chart === 'kpi' || tile.chart === 'table' ? 'none' : '';
  place();
  let chart = null, last = null, lastPrev = null, running = null, timer = null, destroyed = false, runs = 0;
  // A KPI compares with the previous period when its SQL uses the date range.
  const usesRange = /\{\{\s*(start|end|[A-Za-z0-9_]+_(start|end))\s*\}\}/.test(tile.sql);

  function place() {
    const l = tile.layout;
    el.style.gridColumn = `${l.x + 1} / span ${l.w}`;
    el.style.gridRow = `${l.y + 1} / span ${l.h}`;
    el.style.setProperty('--h', String(l.h)); // phone widths stack tiles in order, keeping their height
  }

  // refresh runs the query and draws it; it resolves once drawn (or failed),
  // when the tile's data-rendered attribute is "ok" (or "error").
  async function refresh() {
    if (running || destroyed) return;
    running = new AbortController();
    status.textContent = 'running…';
    try {
      const res = await ctx.run(running.signal);
      let prev = null;
      if (tile.chart === 'kpi' && usesRange && kpiValue(res, tile).inlinePrev == null) {
        const p = ctx.runPrevious(running.signal);
        prev = p ? await p : null;
      }
      if (destroyed) return;
      last = res;
      lastPrev = prev;
      draw(res, prev);
      runs++;
      el.dataset.runs = String(runs);
      el.dataset.rendered = 'ok';
      status.textContent = res.rows.length + ' rows · ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (destroyed) return;
      disposeChart();
      clear(body, h('div', { class: 'error' }, e.message));
      status.textContent = 'failed · ' + new Date().toLocaleTimeString();
      el.dataset.rendered = 'error';
    } finally {
      running = null;
    }
  }

  function disposeChart() { chart?.dispose(); chart = null; }

  function draw(res, prev) {
    if (tile.chart === 'table') {
      disposeChart();
      clear(body, createGrid(res.columns, res.rows).el);
      return;
    }
    if (tile.chart === 'kpi') {
      disposeChart();
      const k = kpiValue(res, tile);
      const before = k.inlinePrev ?? (prev ? kpiValue(prev, tile).value : null);
      let delta = null;
      if (before != null && k.value != null) {
        const pct = before === 0 ? null : ((k.value - before) / Math.abs(before)) * 100;
        delta = h('div', { class: 'delta ' + (k.value >= before ? 'up' : 'down') },
          (k.value >= before ? '▲ ' : '▼ ') + (pct == null ? Math.abs(k.value - before).toLocaleString() : Math.abs(pct).toFixed(1) + '%') + ' vs previous period');
      }
      clear(body, h('div', { class: 'kpi' }, h('div', { class: 'value' }, k.value == null ? '—' : k.value.toLocaleString()), h('div', { class: 'muted' }, k.label), delta));
      return;
    }
    const opt = option(tile, res, isDark());
    if (!chart) {
      const c = h('div', { class: 'chart' });
      clear(body, c);
      chart = echarts.init(c, isDark() ? 'dark' : null, { renderer: 'canvas' });
    }
    chart.setOption(opt, true);
  }

  function exportPNG() {
    if (!chart) return;
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: isDark() ? '#171b23' : '#ffffff' });
    const a = h('a', { href: url, download: (tile.title || tile.id) + '.png' });
    document.body.append(a);
    a.click();
    a.remove();
  }

  const ro = new ResizeObserver(() => chart?.resize());
  ro.observe(body);
  const onTheme = () => { disposeChart(); if (last) draw(last, lastPrev); };
  window.addEventListener('tarn-theme', onTheme);
  if (tile.refresh_seconds > 0) timer = setInterval(refresh, tile.refresh_seconds * 1000);

  // Drag (by the header) and resize (by the corner) in edit mode.
  el.addEventListener('pointerdown', (e) => {
    if (!ctx.editing() || e.button !== 0) return;
    const resizing = e.target.classList.contains('resize');
    if (!resizing && !e.target.closest('.thead') || e.target.closest('button')) return;
    e.preventDefault();
    const rect = ctx.gridEl.getBoundingClientRect();
    const colW = (rect.width - GAP * 11) / 12 + GAP, rowH = ROW + GAP;
    const start = { ...tile.layout }, x0 = e.clientX, y0 = e.clientY;
    el.classList.add('dragging');
    el.setPointerCapture(e.pointerId);
    const move = (m) => {
      const dx = Math.round((m.clientX - x0) / colW), dy = Math.round((m.clientY - y0) / rowH);
      const l = { ...start };
      if (resizing) {
        l.w = Math.max(1, Math.min(12 - l.x, start.w + dx));
        l.h = Math.max(1, Math.min(24, start.h + dy));
      } else {
        l.x = Math.max(0, Math.min(12 - l.w, start.x + dx));
        l.y = Math.max(0, start.y + dy);
      }
      tile.layout = l;
      place();
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      el.classList.remove('dragging');
      const l = tile.layout;
      if (l.x !== start.x || l.y !== start.y || l.w !== start.w || l.h !== start.h) ctx.moved(l);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  });

  return {
    el, refresh,
    destroy() {
      destroyed = true;
      clearInterval(timer);
      running?.abort();
      ro.disconnect();
      window.removeEventListener('tarn-theme', onTheme);
      disposeChart();
    },
  };
}
