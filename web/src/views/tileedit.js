// views/tileedit.js — the tile editor dialog: title, engine, database,
// SQL (with {{filter}} parameters), chart type, x / y / series, refresh,
// and a preview run that lists the result's columns.
import { h, clear, dialog } from '../dom.js';
import { createEditor } from '../sqledit.js';
import * as catalog from '../catalog.js';

const CHARTS = ['line', 'area', 'bar', 'stacked_bar', 'pie', 'scatter', 'heatmap', 'kpi', 'table'];

// tileEditor resolves to the edited tile fields, or undefined on cancel.
export async function tileEditor(tile, dash, run) {
  const t = tile || { title: '', sql: 'SELECT 1 AS value', engine: 'athena', database: 'default', chart: 'bar', y: [], refresh_seconds: 0 };
  const title = h('input', { id: 'tile-title', value: t.title || '' });
  const engine = h('select', { id: 'tile-engine' }, h('option', { value: 'athena' }, 'Athena'), h('option', { value: 'warehouse' }, 'Warehouse'));
  engine.value = t.engine || 'athena';
  const database = h('input', { id: 'tile-database', value: t.database || '', placeholder: 'default', list: 'tile-dbs' });
  const dbs = h('datalist', { id: 'tile-dbs' });
  const chart = h('select', { id: 'tile-chart' }, ...CHARTS.map((c) => h('option', { value: c }, c)));
  chart.value = t.chart || 'bar';
  const x = h('input', { id: 'tile-x', value: t.x || '', placeholder: 'first column' });
  const y = h('input', { id: 'tile-y', value: (t.y || []).join(', '), placeholder: 'numeric columns' });
  const series = h('input', { id: 'tile-series', value: t.series || '', placeholder: 'none' });
  const refresh = h('input', { id: 'tile-refresh', type: 'number', min: 0, max: 86400, value: String(t.refresh_seconds || 0) });
  const editor = createEditor({ value: t.sql, height: '150px' });
  editor.textarea.id = 'tile-sql';
  const preview = h('div', { class: 'muted' });
  const params = [];
  for (const f of dash.filters || []) {
    if (f.type === 'date_range') params.push(`{{${f.name}_start}}`, `{{${f.name}_end}}`);
    else params.push(`{{${f.name}}}`);
  }
  if ((dash.filters || []).some((f) => f.type === 'date_range')) params.push('{{start}}', '{{end}}');
  catalog.load().then((list) => { for (const d of list) dbs.append(h('option', { value: d.name })); }).catch(() => {});
  catalog.completions().then((c) => editor.setCompletions(c)).catch(() => {});

  const fields = () => ({
    title: title.value, engine: engine.value, database: database.value, sql: editor.value(), chart: chart.value,
    x: x.value.trim(), y: y.value.split(',').map((s) => s.trim()).filter(Boolean), series: series.value.trim(),
    refresh_seconds: Number(refresh.value) || 0,
  });
  const body = h('div', {},
    h('div', { class: 'formgrid' }, h('label', {}, 'Title', title), h('label', {}, 'Engine', engine), h('label', {}, 'Database', database, dbs),
      h('label', {}, 'Chart', chart), h('label', {}, 'Refresh seconds (0 = off, min 5)', refresh)),
    h('label', {}, 'SQL' + (params.length ? ' — parameters: ' + params.join(' ') + ' (quoted literals; (all) is NULL)' : ''), editor.el),
    h('div', { class: 'formgrid' }, h('label', {}, 'x', x), h('label', {}, 'y (comma-separated)', y), h('label', {}, 'series', series)),
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'tile-preview', onclick: async () => {
      clear(preview, 'Running…');
      try {
        const res = await run(fields());
        clear(preview, `${res.rows.length} rows; columns: ${res.columns.join(', ')}`);
      } catch (e) { clear(preview, h('span', { class: 'error' }, e.message)); }
    } }, 'Preview'), preview));
  return dialog(tile ? 'Edit tile' : 'Add tile', body, [{ label: tile ? 'Save tile' : 'Add tile', primary: true, id: 'tile-save', run: () => {
    const f = fields();
    if (!f.sql.trim()) throw new Error('The tile needs SQL.');
    if (f.refresh_seconds && (f.refresh_seconds < 5 || f.refresh_seconds > 86400)) throw new Error('Refresh must be 0 or 5-86400 seconds.');
    return f;
  } }]);
}
