// views/workbench.js — the SQL workbench: catalog tree, editor with
// completion, Run / Explain / Cancel on Athena or the warehouse, a
// virtualized results grid, CSV export, session history and saved queries
// (Athena named queries).
import { h, clear, toast, download, dialog, fmtBytes, badge } from '../dom.js';
import { awsJSON } from '../api.js';
import { createEditor } from '../sqledit.js';
import { createGrid } from '../grid.js';
import { runQuery } from '../query.js';
import { toCSV } from '../csv.js';
import * as catalog from '../catalog.js';

const HISTORY_KEY = 'tarn-ui-history';

export function workbenchView(main, args) {
  const [argDB, argSQL] = args;
  let controller = null, last = null;
  const engine = h('select', { id: 'engine', 'aria-label': 'Engine' }, h('option', { value: 'athena' }, 'Athena'), h('option', { value: 'warehouse' }, 'Warehouse'));
  const database = h('select', { id: 'database', 'aria-label': 'Database' }, h('option', { value: 'default' }, 'default'));
  const editor = createEditor({ value: argSQL || localStorage.getItem('tarn-ui-sql') || 'SELECT 1 AS one', onRun: () => run(false), height: '200px',
    onChange: (v) => localStorage.setItem('tarn-ui-sql', v) });
  editor.textarea.id = 'sql';
  const runBtn = h('button', { class: 'primary', id: 'run', onclick: () => run(false), title: 'Ctrl+Enter' }, 'Run');
  const explainBtn = h('button', { id: 'explain', onclick: () => run(true) }, 'Explain');
  const cancelBtn = h('button', { id: 'cancel', disabled: true, onclick: () => controller?.abort() }, 'Cancel');
  const status = h('span', { class: 'muted', id: 'status' });
  const grid = createGrid([], []);
  grid.el.id = 'results';
  const tree = h('div', { class: 'tree' }, h('span', { class: 'muted' }, 'Loading catalog…'));
  const tabBody = h('div', { class: 'results' }, grid.el);
  const tabs = h('div', { class: 'tabs' });
  const tabDefs = { Results: () => clear(tabBody, grid.el), History: showHistory, Saved: showSaved };
  for (const name of Object.keys(tabDefs)) {
    tabs.append(h('button', { 'data-tab': name, onclick: () => selectTab(name) }, name));
  }
  function selectTab(name) {
    for (const b of tabs.children) b.classList.toggle('active', b.dataset.tab === name);
    tabDefs[name]();
  }

  main.append(h('div', { class: 'workbench' },
    h('div', { class: 'panel side' }, h('strong', {}, 'Catalog'), tree),
    h('div', { class: 'center' },
      h('div', { class: 'row' }, engine, database, runBtn, explainBtn, cancelBtn,
        h('button', { id: 'save', onclick: save }, 'Save'),
        h('button', { id: 'export-csv', onclick: () => last && download('results.csv', toCSV(last.columns, grid.rows()), 'text/csv') }, 'Export CSV'),
        status),
      editor.el, tabs, tabBody)));
  selectTab('Results');

  catalog.load().then((dbs) => {
    clear(database, ...dbs.map((d) => h('option', { value: d.name }, d.name)));
    if (!dbs.some((d) => d.name === 'default')) database.prepend(h('option', { value: 'default' }, 'default'));
    database.value = argDB || localStorage.getItem('tarn-ui-db') || (dbs[0]?.name ?? 'default');
    if (!database.value) database.value = 'default';
    clear(tree, ...dbs.map((d) => h('details', { open: dbs.length < 4 }, h('summary', {}, d.name),
      ...d.tables.map((t) => h('details', {}, h('summary', { ondblclick: () => insert(d.name + '.' + t.name) }, '▦ ', t.name),
        ...t.columns.map((c) => h('div', { class: 'col', onclick: () => insert(c.name), title: c.type }, c.name, ' ', h('span', { class: 'muted' }, c.type))))))));
    if (!dbs.length) clear(tree, h('span', { class: 'muted' }, 'The catalog is empty.'));
    return catalog.completions();
  }).then((c) => editor.setCompletions(c)).catch((e) => { clear(tree, h('div', { class: 'error' }, e.message)); });
  database.onchange = () => localStorage.setItem('tarn-ui-db', database.value);

  function insert(text) {
    const ta = editor.textarea;
    ta.setRangeText(text, ta.selectionStart, ta.selectionEnd, 'end');
    editor.setValue(ta.value);
    ta.focus();
  }

  async function run(explain) {
    if (controller) return;
    let sql = editor.selectedOrAll().trim().replace(/;\s*$/, '');
    if (!sql) return;
    if (explain && !/^explain\b/i.test(sql)) sql = 'EXPLAIN ' + sql;
    controller = new AbortController();
    runBtn.disabled = explainBtn.disabled = true;
    cancelBtn.disabled = false;
    status.textContent = 'Starting…';
    status.className = 'muted';
    selectTab('Results');
    const t0 = performance.now();
    const entry = { sql, engine: engine.value, database: database.value, at: Date.now() };
    try {
      const res = await runQuery(engine.value, sql, { database: engine.value === 'warehouse' ? undefined : database.value, signal: controller.signal, onStatus: (s) => { status.textContent = s + '…'; } });
      last = res;
      grid.setData(res.columns, res.rows);
      const ms = res.stats.ms ?? Math.round(performance.now() - t0);
      status.textContent = `${res.rows.length} rows${res.truncated ? ' (truncated)' : ''} · ${ms} ms` + (res.stats.scanned != null ? ' · ' + fmtBytes(res.stats.scanned) + ' scanned' : '');
      status.className = 'ok';
      entry.state = 'SUCCEEDED';
      entry.rows = res.rows.length;
    } catch (e) {
      status.textContent = e.message;
      status.className = 'error';
      entry.state = e.code === 'Cancelled' ? 'CANCELLED' : 'FAILED';
      entry.error = e.message;
    } finally {
      controller = null;
      runBtn.disabled = explainBtn.disabled = false;
      cancelBtn.disabled = true;
      const hist = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
      hist.unshift(entry);
      localStorage.setItem(HISTORY_KEY, JSON.stringify(hist.slice(0, 200)));
      if (/^\s*(create|drop|alter|msck)\b/i.test(sql)) catalog.invalidate();
    }
  }

  function showHistory() {
    const hist = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
    clear(tabBody, h('div', { class: 'panel', style: 'overflow:auto' }, h('table', { class: 'plain' }, h('tbody', {},
      ...hist.map((e) => h('tr', { class: 'click', onclick: () => { engine.value = e.engine; database.value = e.database; editor.setValue(e.sql); } },
        h('td', {}, badge(e.state)), h('td', {}, e.engine), h('td', { class: 'mono' }, e.sql.slice(0, 200)), h('td', { class: 'muted' }, new Date(e.at).toLocaleString())))))),
    hist.length ? null : h('div', { class: 'muted' }, 'No queries run in this browser yet; see Query history for Athena\'s.'));
  }

  async function showSaved() {
    const body = h('tbody', {});
    clear(tabBody, h('div', { class: 'panel', style: 'overflow:auto' }, h('table', { class: 'plain', id: 'saved' }, body)));
    try {
      const ids = (await awsJSON('athena', 'ListNamedQueries', { MaxResults: 50 })).NamedQueryIds || [];
      if (!ids.length) { body.append(h('tr', {}, h('td', { class: 'muted' }, 'No saved queries.'))); return; }
      const r = await awsJSON('athena', 'BatchGetNamedQuery', { NamedQueryIds: ids });
      for (const q of r.NamedQueries || []) {
        body.append(h('tr', { class: 'click', onclick: () => { engine.value = 'athena'; database.value = q.Database; editor.setValue(q.QueryString); } },
          h('td', {}, h('strong', {}, q.Name)), h('td', { class: 'muted' }, q.Description || ''), h('td', {}, q.Database), h('td', { class: 'mono' }, q.QueryString.slice(0, 160)),
          h('td', {}, h('button', { class: 'danger', onclick: async (e) => {
            e.stopPropagation();
            try { await awsJSON('athena', 'DeleteNamedQuery', { NamedQueryId: q.NamedQueryId }); showSaved(); } catch (err) { toast(err.message); }
          } }, 'Delete'))));
      }
    } catch (e) { toast(e.message); }
  }

  async function save() {
    const name = h('input', { id: 'saved-name', required: true });
    const desc = h('input', {});
    await dialog('Save query (Athena named query)', h('div', { class: 'formgrid' }, h('label', {}, 'Name', name), h('label', {}, 'Description', desc)), [{
      label: 'Save', primary: true, id: 'save-query', run: async () => {
        if (!name.value) throw new Error('A name is required.');
        await awsJSON('athena', 'CreateNamedQuery', { Name: name.value, Description: desc.value || undefined, Database: database.value, QueryString: editor.value() });
        toast('Saved ' + name.value, 'info');
        return true;
      },
    }]);
  }
  return () => controller?.abort();
}
