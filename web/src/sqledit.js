// sqledit.js — a SQL editor: a textarea over a highlighted <pre> (same
// font and metrics, scroll kept in sync), with completion of keywords and
// catalog names (Ctrl+Space, or while typing a word of 2+ letters).
import { h } from './dom.js';

export const KEYWORDS = ('SELECT FROM WHERE GROUP BY ORDER HAVING LIMIT OFFSET JOIN LEFT RIGHT FULL INNER OUTER CROSS ON AS AND OR NOT IN IS NULL ' +
  'LIKE ILIKE BETWEEN CASE WHEN THEN ELSE END DISTINCT UNION ALL INTERSECT EXCEPT WITH INSERT INTO VALUES CREATE TABLE VIEW ' +
  'EXTERNAL DROP ALTER SHOW DESCRIBE EXPLAIN ANALYZE CAST TRUE FALSE ASC DESC OVER PARTITION ROWS RANGE DATE TIMESTAMP INTERVAL ' +
  'COUNT SUM AVG MIN MAX COALESCE DATE_TRUNC DATE_FORMAT APPROX_DISTINCT ARRAY MAP LOCATION STORED TBLPROPERTIES DATABASES TABLES COLUMNS').split(' ');
const KW = new Set(KEYWORDS);
const FUNCS = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'COALESCE', 'DATE_TRUNC', 'DATE_FORMAT', 'APPROX_DISTINCT', 'CAST']);

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// highlight returns HTML for sql with token spans.
export function highlight(sql) {
  const re = /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\{\{[^}]*\}\})|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|([\s\S])/g;
  let out = '', m;
  while ((m = re.exec(sql))) {
    if (m[1]) out += '<span class="tok-com">' + esc(m[1]) + '</span>';
    else if (m[2]) out += '<span class="tok-str">' + esc(m[2]) + '</span>';
    else if (m[3]) out += esc(m[3]);
    else if (m[4]) out += '<span class="tok-param">' + esc(m[4]) + '</span>';
    else if (m[5]) out += '<span class="tok-num">' + m[5] + '</span>';
    else if (m[6]) {
      const u = m[6].toUpperCase();
      out += FUNCS.has(u) ? '<span class="tok-fn">' + m[6] + '</span>' : KW.has(u) ? '<span class="tok-kw">' + m[6] + '</span>' : m[6];
    } else out += esc(m[7]);
  }
  return out + '\n';
}

// createEditor(opts) returns {el, textarea, value(), setValue(s),
// setCompletions(list)}. opts: {value, onRun, height, placeholder}.
// Completions are {label, detail}; keywords are always offered.
export function createEditor(opts = {}) {
  const pre = h('pre', { 'aria-hidden': 'true' });
  const ta = h('textarea', { spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off', placeholder: opts.placeholder || '', 'aria-label': 'SQL' });
  const el = h('div', { class: 'editor' }, pre, ta);
  if (opts.height) el.style.height = opts.height;
  let names = [];
  let popup = null, items = [], sel = 0;

  const render = () => { pre.innerHTML = highlight(ta.value); pre.scrollTop = ta.scrollTop; pre.scrollLeft = ta.scrollLeft; };
  ta.addEventListener('input', () => { render(); maybeComplete(false); opts.onChange?.(ta.value); });
  ta.addEventListener('scroll', () => { pre.scrollTop = ta.scrollTop; pre.scrollLeft = ta.scrollLeft; });
  ta.addEventListener('blur', () => setTimeout(closePopup, 150));
  ta.addEventListener('keydown', (e) => {
    if (popup) {
      if (e.key === 'ArrowDown') { sel = (sel + 1) % items.length; drawPopup(); e.preventDefault(); return; }
      if (e.key === 'ArrowUp') { sel = (sel - 1 + items.length) % items.length; drawPopup(); e.preventDefault(); return; }
      if (e.key === 'Enter' || e.key === 'Tab') { accept(items[sel]); e.preventDefault(); return; }
      if (e.key === 'Escape') { closePopup(); e.preventDefault(); return; }
    }
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); opts.onRun?.(); return; }
    if (e.ctrlKey && e.key === ' ') { e.preventDefault(); maybeComplete(true); return; }
    if (e.key === 'Tab') {
      e.preventDefault();
      ta.setRangeText('  ', ta.selectionStart, ta.selectionEnd, 'end');
      render();
    }
  });

  function wordAt() {
    const pos = ta.selectionStart;
    const before = ta.value.slice(0, pos);
    const m = /[A-Za-z_][A-Za-z0-9_.]*$/.exec(before);
    return m ? { word: m[0], start: pos - m[0].length, end: pos } : { word: '', start: pos, end: pos };
  }

  function maybeComplete(force) {
    const { word } = wordAt();
    if (!force && word.length < 2) { closePopup(); return; }
    const w = word.toLowerCase();
    const tail = w.includes('.') ? w.split('.').pop() : w;
    const pool = [...names, ...KEYWORDS.map((k) => ({ label: k, detail: 'keyword' }))];
    items = pool.filter((c) => {
      const l = c.label.toLowerCase();
      return l.startsWith(w) || (w.includes('.') ? false : l.split('.').pop().startsWith(tail));
    }).filter((c) => c.label.toLowerCase() !== w)
      .sort((a, b) => Number(!a.label.toLowerCase().startsWith(w)) - Number(!b.label.toLowerCase().startsWith(w)))
      .slice(0, 40);
    if (!items.length) { closePopup(); return; }
    sel = 0;
    if (!popup) { popup = h('div', { class: 'complete', role: 'listbox' }); el.append(popup); }
    const lines = ta.value.slice(0, ta.selectionStart).split('\n');
    popup.style.top = Math.min(el.clientHeight - 40, 8 + lines.length * 19.5 - ta.scrollTop + 2) + 'px';
    popup.style.left = Math.min(el.clientWidth - 210, 10 + lines[lines.length - 1].length * 7.8 - ta.scrollLeft) + 'px';
    drawPopup();
  }

  function drawPopup() {
    popup.replaceChildren(...items.map((c, i) => h('div', {
      class: i === sel ? 'sel' : '', role: 'option',
      onmousedown: (e) => { e.preventDefault(); accept(c); },
    }, c.label, h('small', {}, c.detail || ''))));
    popup.children[sel]?.scrollIntoView({ block: 'nearest' });
  }

  function accept(c) {
    const { start, end } = wordAt();
    ta.setRangeText(c.label, start, end, 'end');
    closePopup();
    render();
    ta.focus();
    opts.onChange?.(ta.value);
  }

  function closePopup() { popup?.remove(); popup = null; }

  const api = {
    el, textarea: ta,
    value: () => ta.value,
    setValue: (s) => { ta.value = s; render(); },
    setCompletions: (list) => { names = list; },
    selectedOrAll: () => (ta.selectionEnd > ta.selectionStart ? ta.value.slice(ta.selectionStart, ta.selectionEnd) : ta.value),
  };
  api.setValue(opts.value || '');
  return api;
}
