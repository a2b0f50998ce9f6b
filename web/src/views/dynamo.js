// views/dynamo.js — DynamoDB tables: DescribeTable, Scan (paged by
// LastEvaluatedKey) and Query on the partition key.
import { h, clear, toast, badge, fmtBytes } from '../dom.js';
import { awsJSON } from '../api.js';
import { createGrid } from '../grid.js';

// plain turns an AttributeValue into a JS value for display.
export function plain(av) {
  if (!av || typeof av !== 'object') return av;
  const [t, v] = Object.entries(av)[0] || [];
  switch (t) {
    case 'S': case 'B': return v;
    case 'N': return Number(v);
    case 'BOOL': return v;
    case 'NULL': return null;
    case 'SS': case 'BS': return v;
    case 'NS': return v.map(Number);
    case 'L': return v.map(plain);
    case 'M': return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    default: return v;
  }
}

export function dynamoView(main) {
  const list = h('ul', { class: 'list', id: 'tables' });
  const detail = h('div', {}, h('div', { class: 'panel muted' }, 'Select a table.'));
  main.append(h('h2', {}, 'DynamoDB tables'), h('div', { class: 'split' }, h('div', { class: 'panel' }, list), detail));
  (async () => {
    try {
      const r = await awsJSON('dynamodb', 'ListTables', { Limit: 100 });
      if (!(r.TableNames || []).length) list.append(h('li', { class: 'muted' }, 'No tables.'));
      for (const n of r.TableNames || []) {
        const li = h('li', { onclick: () => { for (const x of list.children) x.classList.toggle('active', x === li); showTable(detail, n); } }, n);
        list.append(li);
      }
    } catch (e) { toast(e.message); }
  })();
}

async function showTable(detail, name) {
  clear(detail, h('div', { class: 'panel muted' }, 'Loading…'));
  let t;
  try { t = (await awsJSON('dynamodb', 'DescribeTable', { TableName: name })).Table; } catch (e) { toast(e.message); return; }
  const keys = t.KeySchema.map((k) => k.AttributeName + ' (' + k.KeyType + ')').join(', ');
  const pkName = t.KeySchema.find((k) => k.KeyType === 'HASH').AttributeName;
  const pkType = t.AttributeDefinitions.find((a) => a.AttributeName === pkName)?.AttributeType || 'S';
  const pk = h('input', { placeholder: pkName + ' = …' });
  const grid = createGrid([], [], { height: '440px' });
  const status = h('span', { class: 'muted' });
  const more = h('button', { style: 'display:none' }, 'Next page');
  let items = [], last = null, mode = 'Scan';
  async function run(reset) {
    if (reset) { items = []; last = null; }
    const input = { TableName: name, Limit: 100, ...(last ? { ExclusiveStartKey: last } : {}) };
    if (mode === 'Query') {
      Object.assign(input, { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': pkName }, ExpressionAttributeValues: { ':pk': { [pkType]: pk.value } } });
    }
    try {
      const r = await awsJSON('dynamodb', mode, input);
      items.push(...(r.Items || []).map((it) => Object.fromEntries(Object.entries(it).map(([k, v]) => [k, plain(v)]))));
      last = r.LastEvaluatedKey || null;
      const cols = [...new Set(items.flatMap((i) => Object.keys(i)))].sort((a, b) => (a === pkName ? -1 : b === pkName ? 1 : a.localeCompare(b)));
      grid.setData(cols, items.map((i) => cols.map((c) => (i[c] === undefined ? null : i[c]))));
      status.textContent = items.length + ' items' + (last ? ' (more)' : '');
      more.style.display = last ? '' : 'none';
    } catch (e) { toast(e.message); }
  }
  more.onclick = () => run(false);
  clear(detail,
    h('div', { class: 'panel' }, h('h3', {}, name), h('div', { class: 'row' }, badge(t.TableStatus),
      h('span', { class: 'muted' }, 'keys: ' + keys + ' · ' + (t.ItemCount ?? '?') + ' items · ' + fmtBytes(t.TableSizeBytes || 0) +
        (t.StreamSpecification?.StreamEnabled ? ' · stream ' + t.StreamSpecification.StreamViewType : '')))),
    h('div', { class: 'panel' },
      h('div', { class: 'row' }, h('button', { class: 'primary', onclick: () => { mode = 'Scan'; run(true); } }, 'Scan'), pk,
        h('button', { onclick: () => { mode = 'Query'; run(true); } }, 'Query'), status, more),
      grid.el));
  run(true);
}
