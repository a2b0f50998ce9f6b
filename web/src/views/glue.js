// views/glue.js — the Glue catalog (databases, tables, columns,
// partitions, versions) and crawlers (state, last crawl, StartCrawler).
import { h, clear, toast, badge, fmtTime } from '../dom.js';
import { awsJSON } from '../api.js';
import { pages, invalidate } from '../catalog.js';

export function glueView(main) {
  const dbs = h('ul', { class: 'list', id: 'databases' });
  const detail = h('div', {}, h('div', { class: 'panel muted' }, 'Select a database.'));
  const crawlers = h('tbody', {});
  main.append(h('h2', {}, 'Glue catalog'), h('div', { class: 'split' }, h('div', { class: 'panel' }, h('h3', {}, 'Databases'), dbs), detail),
    h('div', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Crawlers'), h('button', { onclick: () => loadCrawlers() }, 'Refresh')),
      h('table', { class: 'plain', id: 'crawlers' }, h('thead', {}, h('tr', {}, ...['Name', 'State', 'Database', 'Targets', 'Last crawl', ''].map((x) => h('th', {}, x)))), crawlers)));
  (async () => {
    try {
      for (const d of await pages('GetDatabases', {}, 'DatabaseList')) {
        const li = h('li', { onclick: () => { for (const x of dbs.children) x.classList.toggle('active', x === li); showDatabase(detail, d.Name); } }, d.Name);
        dbs.append(li);
      }
      if (!dbs.children.length) dbs.append(h('li', { class: 'muted' }, 'No databases.'));
    } catch (e) { toast(e.message); }
  })();
  async function loadCrawlers() {
    try {
      const list = await pages('GetCrawlers', {}, 'Crawlers');
      clear(crawlers, ...list.map((c) => h('tr', {},
        h('td', {}, c.Name), h('td', {}, badge(c.State)), h('td', {}, c.DatabaseName || ''),
        h('td', { class: 'mono' }, (c.Targets?.S3Targets || []).map((t) => t.Path).join(' ')),
        h('td', {}, c.LastCrawl ? [badge(c.LastCrawl.Status), ' ', fmtTime(c.LastCrawl.StartTime), c.LastCrawl.ErrorMessage ? h('div', { class: 'error' }, c.LastCrawl.ErrorMessage) : null] : ''),
        h('td', {}, h('button', { disabled: c.State !== 'READY', onclick: async () => {
          try { await awsJSON('glue', 'StartCrawler', { Name: c.Name }); invalidate(); toast('Started ' + c.Name, 'info'); loadCrawlers(); } catch (e) { toast(e.message); }
        } }, 'Start')))));
      if (!list.length) crawlers.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No crawlers.')));
    } catch (e) { toast(e.message); }
  }
  loadCrawlers();
}

async function showDatabase(detail, db) {
  const tables = h('ul', { class: 'list', id: 'glue-tables' });
  const info = h('div', {});
  clear(detail, h('div', { class: 'panel' }, h('h3', {}, db), tables), info);
  try {
    for (const t of await pages('GetTables', { DatabaseName: db }, 'TableList')) {
      const li = h('li', { onclick: () => { for (const x of tables.children) x.classList.toggle('active', x === li); showTable(info, db, t); } },
        t.Name, h('span', { class: 'muted' }, t.TableType || ''));
      tables.append(li);
    }
    if (!tables.children.length) tables.append(h('li', { class: 'muted' }, 'No tables.'));
  } catch (e) { toast(e.message); }
}

async function showTable(info, db, t) {
  const sd = t.StorageDescriptor || {};
  const cols = (sd.Columns || []).map((c) => [c.Name, c.Type, '', c.Comment || '']);
  const parts = (t.PartitionKeys || []).map((c) => [c.Name, c.Type, 'partition', c.Comment || '']);
  const partBody = h('tbody', {});
  const versionBody = h('tbody', {});
  const q = 'SELECT * FROM "' + db + '"."' + t.Name + '" LIMIT 100';
  clear(info, h('div', { class: 'panel' },
    h('div', { class: 'row' }, h('h3', { class: 'grow' }, db + '.' + t.Name),
      h('a', { href: '#/sql/' + encodeURIComponent(db) + '/' + encodeURIComponent(q) }, h('button', { class: 'primary' }, 'Query'))),
    h('div', { class: 'muted mono' }, (sd.Location || '') + ' · ' + (t.Parameters?.classification || sd.SerdeInfo?.SerializationLibrary || '')),
    h('table', { class: 'plain', id: 'columns' }, h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Type'), h('th', {}, ''), h('th', {}, 'Comment'))),
      h('tbody', {}, ...[...cols, ...parts].map((r) => h('tr', {}, ...r.map((v) => h('td', {}, v))))))),
  parts.length ? h('div', { class: 'panel' }, h('h3', {}, 'Partitions'), h('table', { class: 'plain' }, partBody)) : null,
  h('div', { class: 'panel' }, h('h3', {}, 'Versions'), h('table', { class: 'plain', id: 'versions' }, versionBody)));
  showVersions(versionBody, db, t.Name);
  if (!parts.length) return;
  try {
    const ps = await pages('GetPartitions', { DatabaseName: db, TableName: t.Name }, 'Partitions');
    for (const p of ps.slice(0, 500)) {
      partBody.append(h('tr', {}, h('td', { class: 'mono' }, t.PartitionKeys.map((k, i) => k.Name + '=' + p.Values[i]).join('/')),
        h('td', { class: 'mono muted' }, p.StorageDescriptor?.Location || '')));
    }
    if (!ps.length) partBody.append(h('tr', {}, h('td', { class: 'muted' }, 'No partitions.')));
  } catch (e) { toast(e.message); }
}

// showVersions lists the table's versions (each UpdateTable keeps the old
// definition), newest first: id, when, the columns.
async function showVersions(body, db, name) {
  try {
    const vs = await pages('GetTableVersions', { DatabaseName: db, TableName: name }, 'TableVersions');
    vs.sort((a, b) => Number(b.VersionId) - Number(a.VersionId));
    for (const v of vs.slice(0, 50)) {
      const cols = (v.Table?.StorageDescriptor?.Columns || []).map((c) => c.Name + ' ' + c.Type).join(', ');
      body.append(h('tr', {}, h('td', { class: 'mono' }, 'v' + v.VersionId),
        h('td', { class: 'muted' }, fmtTime(v.Table?.UpdateTime || v.Table?.CreateTime)), h('td', { class: 'mono' }, cols)));
    }
    if (!vs.length) body.append(h('tr', {}, h('td', { class: 'muted' }, 'No versions.')));
  } catch (e) { toast(e.message); }
}
