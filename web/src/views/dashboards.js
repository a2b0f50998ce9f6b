// views/dashboards.js — dashboards: the list, one dashboard's filters and
// tile grid (drag and resize in edit mode), the tile editor, auto-refresh,
// PNG and CSV export. Stored through api/dashboards.
import { h, clear, toast, dialog, download } from '../dom.js';
import { api } from '../api.js';
import { runQuery } from '../query.js';
import { filterValues, substitute, previous, defaultRange } from '../params.js';
import { createTile } from './tile.js';
import { tileEditor } from './tileedit.js';

export function dashboardsView(main, args) {
  if (!args[0]) { list(main); return null; }
  return show(main, args[0]);
}

async function list(main) {
  const body = h('tbody', {});
  main.append(h('div', { class: 'row' }, h('h2', { class: 'grow' }, 'Dashboards'), h('button', { class: 'primary', id: 'new-dashboard', onclick: create }, 'New dashboard')),
    h('div', { class: 'panel' }, h('table', { class: 'plain', id: 'dashboards' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Title'), h('th', {}, 'Tiles'), h('th', {}, 'Updated'))), body)));
  try {
    const { dashboards } = await api('GET', 'dashboards');
    for (const d of dashboards) {
      body.append(h('tr', { class: 'click', onclick: () => { location.hash = '#/dashboards/' + d.name; } },
        h('td', {}, h('a', { href: '#/dashboards/' + d.name }, d.name)), h('td', {}, d.title || ''), h('td', {}, d.tiles.length), h('td', { class: 'muted' }, d.updated ? new Date(d.updated).toLocaleString() : '')));
    }
    if (!dashboards.length) body.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No dashboards yet.')));
  } catch (e) { toast(e.message); }
}

async function create() {
  const name = h('input', { id: 'dashboard-name', placeholder: 'sales-overview', pattern: '[a-z0-9][a-z0-9_-]*' });
  const title = h('input', { id: 'dashboard-title', placeholder: 'Sales overview' });
  const withDate = h('input', { type: 'checkbox', checked: true });
  await dialog('New dashboard', h('div', { class: 'formgrid' }, h('label', {}, 'Name (a-z, 0-9, _ -)', name), h('label', {}, 'Title', title),
    h('label', {}, h('span', {}, withDate, ' date range filter ({{start}}, {{end}})'))), [{
    label: 'Create', primary: true, id: 'create-dashboard', run: async () => {
      const d = { name: name.value, title: title.value, filters: withDate.checked ? [{ name: 'period', type: 'date_range', default: '30d' }] : [], tiles: [] };
      await api('PUT', 'dashboards/' + encodeURIComponent(d.name), d);
      location.hash = '#/dashboards/' + d.name;
      return true;
    },
  }]);
}

// show draws dashboard name. When every tile has drawn its first result
// (or failed), it sets window.__tarnDashboardReady = {name, tiles, ms}:
// ms is performance.now() at that moment (the page's navigation is 0),
// after the next animation frame (the charts painted).
function show(main, name) {
  let dash = null, editing = false, first = true;
  window.__tarnDashboardReady = null;
  const tiles = new Map(); // id -> tile controller
  const state = {};
  const filtersEl = h('div', { class: 'filters', id: 'filters' });
  const gridEl = h('div', { class: 'dgrid', id: 'dgrid' });
  const titleEl = h('h2', { class: 'grow' }, name);
  const editBtn = h('button', { id: 'edit-layout', onclick: () => { editing = !editing; gridEl.classList.toggle('editing', editing); editBtn.textContent = editing ? 'Done' : 'Edit layout'; } }, 'Edit layout');
  main.append(h('div', { class: 'row' }, h('a', { href: '#/dashboards' }, '← Dashboards'), titleEl,
    h('button', { class: 'primary', id: 'add-tile', onclick: () => editTile(null) }, 'Add tile'), editBtn,
    h('button', { id: 'edit-filters', onclick: () => editFilters() }, 'Filters'),
    h('button', { id: 'refresh-all', onclick: () => refreshAll() }, 'Refresh'),
    h('button', { class: 'danger', onclick: remove }, 'Delete')), filtersEl, gridEl);

  const values = () => filterValues(dash.filters, state);

  // save stores dash; the tiles keep referring to the same objects (the
  // server's answer only adds defaults and the update time).
  async function save() {
    const stored = await api('PUT', 'dashboards/' + encodeURIComponent(dash.name), dash);
    dash.updated = stored.updated;
  }

  // run executes a tile's (or filter's) SQL with the current filter values.
  const run = (q, vals = values(), signal) => runQuery(q.engine, substitute(q.sql, vals), { database: q.engine === 'warehouse' ? q.database || undefined : q.database || 'default', signal });

  function render() {
    titleEl.textContent = dash.title || dash.name;
    for (const t of tiles.values()) t.destroy();
    tiles.clear();
    clear(gridEl);
    const ordered = [...dash.tiles].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
    for (const tile of ordered) {
      const ctl = createTile(tile, {
        run: (signal) => run(tile, values(), signal),
        runPrevious: (signal) => { const p = previous(values()); return p ? run(tile, p, signal) : null; },
        edit: () => editTile(tile),
        remove: async () => { dash.tiles = dash.tiles.filter((x) => x.id !== tile.id); await save(); render(); },
        moved: async (layout) => { tile.layout = layout; try { await save(); } catch (e) { toast(e.message); } },
        editing: () => editing, gridEl,
      });
      tiles.set(tile.id, ctl);
      gridEl.append(ctl.el);
    }
    if (!dash.tiles.length) gridEl.append(h('div', { class: 'panel muted', style: 'grid-column: 1 / -1' }, 'No tiles yet: Add tile.'));
    const done = refreshAll();
    if (first) {
      first = false;
      done.then(() => requestAnimationFrame(() => {
        if (main.isConnected) window.__tarnDashboardReady = { name, tiles: dash.tiles.length, ms: performance.now() };
      }));
    }
  }

  function refreshAll() { return Promise.all([...tiles.values()].map((t) => t.refresh())); }

  async function renderFilters() {
    clear(filtersEl);
    for (const f of dash.filters || []) {
      if (f.type === 'date_range') {
        const r = state[f.name] || defaultRange(f.default);
        state[f.name] = r;
        const s = h('input', { type: 'date', value: r.start, 'data-filter': f.name + '_start' });
        const e = h('input', { type: 'date', value: r.end, 'data-filter': f.name + '_end' });
        const change = () => { state[f.name] = { start: s.value, end: e.value }; refreshAll(); };
        s.onchange = e.onchange = change;
        filtersEl.append(h('label', {}, (f.label || f.name) + ' from', s), h('label', {}, 'to', e));
      } else {
        const sel = h('select', { 'data-filter': f.name, onchange: () => { state[f.name] = sel.value; refreshAll(); } }, h('option', { value: '' }, '(all)'));
        filtersEl.append(h('label', {}, f.label || f.name, sel));
        try {
          const res = await run({ sql: f.query, engine: f.engine, database: f.database });
          for (const row of res.rows) sel.append(h('option', { value: String(row[0]) }, String(row[0])));
          if (f.default) { sel.value = f.default; state[f.name] = sel.value; }
        } catch (e) { sel.append(h('option', { disabled: true }, 'error: ' + e.message)); }
      }
    }
  }

  async function editTile(tile) {
    const updated = await tileEditor(tile, dash, (t) => run(t));
    if (!updated) return;
    if (tile) Object.assign(tile, updated);
    else {
      const kpi = updated.chart === 'kpi';
      dash.tiles.push({ ...updated, id: 't' + Date.now().toString(36), layout: freeSlot(dash.tiles, kpi ? 3 : 6, kpi ? 2 : 4) });
    }
    try { await save(); render(); } catch (e) { toast(e.message); if (!tile) dash.tiles.pop(); }
  }

  // editFilters edits the filters as JSON (the dashboards API's shape).
  async function editFilters() {
    const ta = h('textarea', { id: 'filters-json', rows: 12, class: 'mono', style: 'width:100%' });
    ta.value = JSON.stringify(dash.filters || [], null, 2);
    const help = h('div', { class: 'muted' }, '[{"name": "period", "type": "date_range", "default": "30d"}, ',
      '{"name": "kind", "type": "dropdown", "query": "SELECT DISTINCT kind FROM events", "database": "shop"}] — ',
      'tiles use {{start}} {{end}} {{period_start}} {{kind}} …; a dropdown at (all) is NULL.');
    const ok = await dialog('Dashboard filters', h('div', {}, help, ta), [{ label: 'Save filters', primary: true, id: 'filters-save', run: async () => {
      let f;
      try { f = JSON.parse(ta.value); } catch (e) { throw new Error('Not JSON: ' + e.message); }
      const before = dash.filters;
      dash.filters = f;
      try { await save(); } catch (e) { dash.filters = before; throw e; }
      return true;
    } }]);
    if (ok) { for (const k of Object.keys(state)) delete state[k]; await renderFilters(); refreshAll(); }
  }

  async function remove() {
    if (!confirm('Delete dashboard ' + dash.name + '?')) return;
    try { await api('DELETE', 'dashboards/' + encodeURIComponent(dash.name)); location.hash = '#/dashboards'; } catch (e) { toast(e.message); }
  }

  (async () => {
    try {
      dash = await api('GET', 'dashboards/' + encodeURIComponent(name));
      await renderFilters();
      render();
    } catch (e) { clear(gridEl, h('div', { class: 'error' }, e.message)); }
  })();
  return () => { for (const t of tiles.values()) t.destroy(); };
}

// freeSlot finds the first place (top to bottom, left to right) where a
// w x h tile overlaps no other tile.
export function freeSlot(tiles, w, h) {
  const overlaps = (x, y) => tiles.some(({ layout: l }) => x < l.x + l.w && l.x < x + w && y < l.y + l.h && l.y < y + h);
  for (let y = 0; ; y++) {
    for (let x = 0; x + w <= 12; x++) if (!overlaps(x, y)) return { x, y, w, h };
  }
}

export { download };
