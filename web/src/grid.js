// grid.js — a virtualized results grid: only the rows in view (plus a
// margin) are in the DOM, so tens of thousands of rows scroll smoothly.
import { h } from './dom.js';

const ROW = 26;

// createGrid(columns, rows, opts) returns {el, setData}. columns: names;
// rows: arrays of values (null shown as NULL). Clicking a header sorts.
export function createGrid(columns = [], rows = [], opts = {}) {
  const el = h('div', { class: 'vgrid', tabindex: '0' });
  const head = h('div', { class: 'vhead' });
  const body = h('div', { style: 'position:relative' });
  el.append(head, body);
  let cols = [], data = [], widths = '', numeric = [], sort = { col: -1, dir: 1 }, drawn = '';

  function setData(c, r) {
    cols = c; data = r.slice(); sort = { col: -1, dir: 1 };
    numeric = cols.map((_, i) => data.slice(0, 200).every((row) => row[i] == null || row[i] === '' || !isNaN(Number(row[i]))) && data.length > 0);
    const w = cols.map((name, i) => {
      let m = String(name).length;
      for (const row of data.slice(0, 200)) m = Math.max(m, String(row[i] ?? 'NULL').length);
      return Math.min(420, Math.max(60, m * 7.6 + 18));
    });
    const rnw = Math.max(40, String(data.length).length * 8 + 18);
    widths = [rnw, ...w].map((x) => x + 'px').join(' ');
    const total = rnw + w.reduce((a, b) => a + b, 0);
    head.style.gridTemplateColumns = widths;
    head.style.width = total + 'px';
    head.replaceChildren(h('div', { class: 'vcell rn' }, '#'), ...cols.map((name, i) => h('div', {
      class: 'vcell' + (numeric[i] ? ' num' : ''), title: name, onclick: () => sortBy(i),
    }, name)));
    body.style.height = data.length * ROW + 'px';
    body.style.width = total + 'px';
    drawn = '';
    draw();
  }

  function sortBy(i) {
    sort = { col: i, dir: sort.col === i ? -sort.dir : 1 };
    const n = numeric[i];
    data.sort((a, b) => {
      const x = a[i], y = b[i];
      if (x == null) return 1;
      if (y == null) return -1;
      return (n ? Number(x) - Number(y) : String(x).localeCompare(String(y))) * sort.dir;
    });
    drawn = '';
    draw();
  }

  function draw() {
    const top = Math.max(0, el.scrollTop - ROW);
    const first = Math.floor(top / ROW);
    const count = Math.ceil((el.clientHeight || 400) / ROW) + 20;
    const key = first + ':' + count;
    if (key === drawn) return;
    drawn = key;
    const frag = document.createDocumentFragment();
    for (let r = first; r < Math.min(data.length, first + count); r++) {
      const row = data[r];
      const line = h('div', { class: 'vrow', style: `top:${r * ROW}px;grid-template-columns:${widths}` },
        h('div', { class: 'vcell rn' }, r + 1));
      for (let i = 0; i < cols.length; i++) {
        const v = row[i];
        const text = v == null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        line.append(h('div', { class: 'vcell' + (v == null ? ' null' : numeric[i] ? ' num' : ''), title: text.length > 40 ? text.slice(0, 2000) : null }, text));
      }
      frag.append(line);
    }
    body.replaceChildren(frag);
  }

  el.addEventListener('scroll', () => requestAnimationFrame(draw));
  new ResizeObserver(() => { drawn = ''; draw(); }).observe(el);
  if (opts.height) el.style.height = opts.height;
  setData(columns, rows);
  return { el, setData, rows: () => data, columns: () => cols };
}
