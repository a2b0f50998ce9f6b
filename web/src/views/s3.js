// views/s3.js — the lake: buckets, prefix browsing (ListObjectsV2 with
// delimiter), object previews (CSV/TSV/JSON/JSON Lines as a table, text as
// text; the first MiB, by Range; Parquet's first 200 rows and column types
// through api/preview), download, upload, delete.
import { h, clear, toast, fmtBytes, fmtTime, dialog } from '../dom.js';
import { s3, bytes, xmlRows, api } from '../api.js';
import { createGrid } from '../grid.js';
import { parseCSV, jsonRows } from '../csv.js';

const PREVIEW_BYTES = 1 << 20;
const enc = (s) => s.split('/').map(encodeURIComponent).join('/');

export function s3View(main, args) {
  const [bucket, ...rest] = args;
  if (!bucket) buckets(main);
  else objects(main, bucket, rest.join('/'));
}

async function buckets(main) {
  const list = h('tbody', {});
  main.append(h('div', { class: 'row' }, h('h2', { class: 'grow' }, 'Buckets'),
    h('button', { onclick: () => createBucket(main) }, 'Create bucket')),
  h('div', { class: 'panel' }, h('table', { class: 'plain', id: 'buckets' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Created'))), list)));
  try {
    const r = await s3('GET', '/');
    const rows = xmlRows(r.doc, 'Bucket', ['Name', 'CreationDate']);
    if (!rows.length) list.append(h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'No buckets yet.')));
    for (const b of rows) {
      list.append(h('tr', { class: 'click', onclick: () => { location.hash = '#/lake/' + encodeURIComponent(b.Name) + '/'; } },
        h('td', {}, h('a', { href: '#/lake/' + encodeURIComponent(b.Name) + '/' }, b.Name)), h('td', {}, fmtTime(b.CreationDate))));
    }
  } catch (e) { toast(e.message); }
}

async function createBucket(main) {
  const name = h('input', { placeholder: 'bucket-name', pattern: '[a-z0-9.-]{3,63}' });
  const ok = await dialog('Create bucket', h('label', {}, 'Name', name), [{ label: 'Create', primary: true, run: async () => {
    await s3('PUT', '/' + name.value);
    return true;
  } }]);
  if (ok) { clear(main); buckets(main); }
}

async function objects(main, bucket, prefix) {
  const crumbs = h('div', { class: 'crumbs' }, h('a', { href: '#/lake' }, 'Buckets'), ' / ',
    h('a', { href: '#/lake/' + encodeURIComponent(bucket) + '/' }, bucket));
  let acc = '';
  for (const part of prefix.split('/').filter(Boolean)) {
    acc += part + '/';
    crumbs.append(' / ', h('a', { href: '#/lake/' + encodeURIComponent(bucket) + '/' + enc(acc) }, part));
  }
  const tbody = h('tbody', {});
  const more = h('button', { style: 'display:none' }, 'Load more');
  const preview = h('div', { class: 'panel', id: 'preview' }, h('span', { class: 'muted' }, 'Select an object to preview it.'));
  const upload = h('input', { type: 'file', style: 'display:none', onchange: async () => {
    for (const f of upload.files) {
      try {
        await s3('PUT', '/' + bucket + '/' + prefix + f.name, {}, new Uint8Array(await f.arrayBuffer()), { 'Content-Type': f.type || 'application/octet-stream' });
        toast('Uploaded ' + f.name, 'info');
      } catch (e) { toast(e.message); }
    }
    clear(main); objects(main, bucket, prefix);
  } });
  main.append(crumbs, h('div', { class: 'split' },
    h('div', { class: 'panel' },
      h('div', { class: 'row' }, h('strong', { class: 'grow' }, prefix || '/'), h('button', { onclick: () => upload.click() }, 'Upload'), upload),
      h('table', { class: 'plain', id: 'objects' }, h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Size'), h('th', {}, 'Modified'))), tbody),
      more),
    preview));
  let token = '';
  async function page() {
    const q = { 'list-type': '2', delimiter: '/', prefix, 'max-keys': '500' };
    if (token) q['continuation-token'] = token;
    const r = await s3('GET', '/' + bucket, q);
    for (const p of xmlRows(r.doc, 'CommonPrefixes', ['Prefix'])) {
      const name = p.Prefix.slice(prefix.length);
      tbody.append(h('tr', { class: 'click', onclick: () => { location.hash = '#/lake/' + encodeURIComponent(bucket) + '/' + enc(p.Prefix); } },
        h('td', {}, h('a', { href: '#/lake/' + encodeURIComponent(bucket) + '/' + enc(p.Prefix) }, name)), h('td', {}), h('td', {})));
    }
    for (const o of xmlRows(r.doc, 'Contents', ['Key', 'Size', 'LastModified'])) {
      if (o.Key === prefix) continue;
      const tr = h('tr', { class: 'click', onclick: () => {
        for (const x of tbody.children) x.classList.remove('active');
        showObject(preview, bucket, o);
      } }, h('td', {}, h('a', {}, o.Key.slice(prefix.length))), h('td', {}, fmtBytes(o.Size)), h('td', {}, fmtTime(o.LastModified)));
      tbody.append(tr);
    }
    if (!tbody.children.length) tbody.append(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'Empty.')));
    const truncated = r.doc.querySelector('IsTruncated')?.textContent === 'true';
    token = r.doc.querySelector('NextContinuationToken')?.textContent || '';
    more.style.display = truncated ? '' : 'none';
  }
  more.onclick = () => page().catch((e) => toast(e.message));
  page().catch((e) => toast(e.message));
}

async function showObject(panel, bucket, o) {
  const href = 'api/s3/object?bucket=' + encodeURIComponent(bucket) + '&key=' + encodeURIComponent(o.Key);
  const body = h('div', {}, h('span', { class: 'muted' }, 'Loading…'));
  clear(panel,
    h('div', { class: 'row' }, h('strong', { class: 'grow mono' }, o.Key),
      h('a', { href, download: o.Key.split('/').pop() }, h('button', {}, 'Download')),
      h('button', { class: 'danger', onclick: async () => {
        if (!confirm('Delete ' + o.Key + '?')) return;
        try { await s3('DELETE', '/' + bucket + '/' + o.Key); toast('Deleted', 'info'); window.dispatchEvent(new Event('hashchange')); } catch (e) { toast(e.message); }
      } }, 'Delete')),
    h('div', { class: 'muted' }, fmtBytes(o.Size) + ' · ' + fmtTime(o.LastModified)), body);
  const key = o.Key.toLowerCase().replace(/\.(gz|gzip)$/, '');
  if (/\.parquet$/.test(o.Key.toLowerCase())) {
    try {
      const p = await api('GET', 'preview?bucket=' + encodeURIComponent(bucket) + '&key=' + encodeURIComponent(o.Key));
      const types = h('table', { class: 'plain', id: 'preview-types' }, h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Type'))),
        h('tbody', {}, ...p.columns.map((c, i) => h('tr', {}, h('td', {}, c), h('td', { class: 'mono muted' }, p.types[i] || '')))));
      const g = createGrid(p.columns.map((c, i) => (p.types[i] ? c + ' (' + p.types[i] + ')' : c)), p.rows, { height: '420px' });
      clear(body, h('div', { class: 'muted' }, 'Parquet · ' + p.columns.length + ' columns · first ' + p.rows.length + ' rows'), g.el,
        h('details', {}, h('summary', {}, 'Schema'), types));
    } catch (e) {
      clear(body, h('div', { class: e.status === 501 ? 'muted' : 'error' }, e.message));
    }
    return;
  }
  if (/\.parquet$|\.orc$|\.avro$/.test(key)) {
    clear(body, h('p', { class: 'muted' }, 'Binary columnar file: the console does not preview Parquet/ORC/Avro objects. ',
      'Crawl the prefix into the catalog and query it in the ', h('a', { href: '#/sql' }, 'SQL workbench'), '.'));
    return;
  }
  if (o.Key.toLowerCase().endsWith('.gz')) {
    clear(body, h('p', { class: 'muted' }, 'Compressed object: download it to read it.'));
    return;
  }
  try {
    const r = await s3('GET', '/' + bucket + '/' + o.Key, {}, null, { Range: 'bytes=0-' + (PREVIEW_BYTES - 1) });
    const text = new TextDecoder().decode(bytes(r));
    const cut = Number(o.Size) > PREVIEW_BYTES;
    const clean = cut ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
    let table = null;
    if (/\.(csv|tsv)$/.test(key)) {
      const rows = parseCSV(clean, key.endsWith('.tsv') ? '\t' : ',');
      table = { columns: rows[0] || [], rows: rows.slice(1) };
    } else if (/\.(json|jsonl|ndjson)$/.test(key) || /^\s*[[{]/.test(clean)) {
      try { table = jsonRows(clean); } catch { table = null; }
    }
    if (table) {
      const g = createGrid(table.columns, table.rows, { height: '420px' });
      clear(body, h('div', { class: 'muted' }, table.rows.length + ' rows' + (cut ? ' (first MiB)' : '')), g.el);
    } else if (r.body_base64) {
      clear(body, h('p', { class: 'muted' }, 'Binary object (' + (r.headers['Content-Type'] || 'unknown type') + '): download it.'));
    } else {
      clear(body, h('pre', {}, clean));
    }
  } catch (e) { clear(body, h('div', { class: 'error' }, e.message)); }
}
