// views/lambda.js — functions: ListFunctions, configuration, Invoke
// (RequestResponse with the log tail), the recent invocations from the
// function's CloudWatch Logs (count, errors, p50 / p99 duration) and a log
// viewer (FilterLogEvents, newest first, optional 2 s follow).
import { h, clear, toast, badge, fmtBytes, debounce } from '../dom.js';
import { lambdaREST, decodeJSON } from '../api.js';
import { filterEvents, invocations, percentile } from '../logs.js';

let stopFollow = () => {};
const DAY = 24 * 3600 * 1000;

export function lambdaView(main) {
  stopFollow();
  const list = h('ul', { class: 'list', id: 'functions' });
  const detail = h('div', {}, h('div', { class: 'panel muted' }, 'Select a function.'));
  main.append(h('h2', {}, 'Lambda functions'), h('div', { class: 'split' }, h('div', { class: 'panel' }, list), detail));
  (async () => {
    try {
      const r = decodeJSON(await lambdaREST('GET', '/functions/'));
      if (!(r.Functions || []).length) list.append(h('li', { class: 'muted' }, 'No functions.'));
      for (const f of r.Functions || []) {
        const li = h('li', { onclick: () => { for (const x of list.children) x.classList.toggle('active', x === li); show(detail, f.FunctionName); } },
          f.FunctionName, h('span', { class: 'muted' }, f.Runtime));
        li.dataset.function = f.FunctionName;
        list.append(li);
      }
    } catch (e) { toast(e.message); }
  })();
  return () => stopFollow();
}

async function show(detail, name) {
  stopFollow();
  let c;
  try { c = decodeJSON(await lambdaREST('GET', '/functions/' + encodeURIComponent(name) + '/configuration')); } catch (e) { toast(e.message); return; }
  const payload = h('textarea', { id: 'payload', rows: 6, class: 'mono', style: 'width:100%' }, '{}');
  const result = h('div', { id: 'invoke-result' });
  clear(detail,
    h('div', { class: 'panel' }, h('h3', {}, name), h('div', { class: 'row' }, badge(c.State), h('span', { class: 'muted' },
      c.Runtime + ' · ' + c.Handler + ' · ' + c.MemorySize + ' MB · timeout ' + c.Timeout + ' s · code ' + fmtBytes(c.CodeSize))),
    h('table', { class: 'plain' }, h('tbody', {},
      ...[['ARN', c.FunctionArn], ['Role', c.Role], ['Version', c.Version], ['Last modified', c.LastModified],
        ['Environment', JSON.stringify(c.Environment?.Variables || {})]].map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { class: 'mono' }, v ?? '')))))),
    h('div', { class: 'panel' }, h('h3', {}, 'Invoke'), payload,
      h('div', { class: 'row' }, h('button', { class: 'primary', id: 'invoke', onclick: async () => {
        try { JSON.parse(payload.value); } catch (e) { toast('Payload is not JSON: ' + e.message); return; }
        clear(result, h('span', { class: 'muted' }, 'Invoking…'));
        try {
          const r = await lambdaREST('POST', '/functions/' + encodeURIComponent(name) + '/invocations', payload.value, { 'X-Amz-Log-Type': 'Tail' });
          if (r.status >= 300) decodeJSON(r);
          const fe = r.headers['X-Amz-Function-Error'];
          const log = r.headers['X-Amz-Log-Result'];
          clear(result, h('div', { class: fe ? 'error' : 'ok' }, fe ? 'Function error: ' + fe : 'Status ' + r.status + ' · version ' + (r.headers['X-Amz-Executed-Version'] || '')),
            h('pre', {}, r.body || ''), log ? h('h3', {}, 'Log tail') : null, log ? h('pre', {}, atob(log)) : null);
        } catch (e) { clear(result, h('div', { class: 'error' }, e.message)); }
      } }, 'Invoke')), result),
    activityPanel(name));
}

// activityPanel shows the function's recent invocations and its log.
function activityPanel(name) {
  const group = '/aws/lambda/' + name;
  const stats = h('div', { class: 'stats', id: 'fn-stats' }, h('span', { class: 'muted' }, 'Reading logs…'));
  const recent = h('tbody', {});
  const filter = h('input', { id: 'log-filter', placeholder: 'Filter pattern, e.g. ERROR or "order id"', style: 'flex:1' });
  const follow = h('input', { type: 'checkbox', id: 'log-follow' });
  const lines = h('div', { class: 'tail', id: 'fn-log' });
  let timer = null, last = null, gen = 0, seen = new Set();
  const lineEl = (e) => h('div', { class: /\[ERROR\]|Status: /.test(e.message) ? 'error' : '' },
    h('span', { class: 'muted' }, new Date(e.timestamp).toLocaleTimeString() + ' '), e.message);

  // stats reads the whole group (its recent retained events) and groups it.
  async function loadStats() {
    try {
      const invs = invocations(await filterEvents(group, { startTime: Date.now() - DAY, max: 20000 }));
      const ds = invs.map((i) => i.duration).filter((d) => d != null);
      const errs = invs.filter((i) => i.error);
      const fmt = (v) => (v == null ? '—' : v.toFixed(2) + ' ms');
      clear(stats, ...[['Invocations', invs.length], ['Errors', errs.length], ['p50', fmt(percentile(ds, 50))], ['p99', fmt(percentile(ds, 99))]]
        .map(([k, v]) => h('div', { class: 'stat', 'data-stat': k }, h('div', { class: 'value' }, String(v)), h('div', { class: 'muted' }, k))));
      clear(recent, ...invs.slice(-10).reverse().map((i) => h('tr', { 'data-request': i.id },
        h('td', {}, new Date(i.time).toLocaleString()), h('td', { class: 'mono' }, i.id),
        h('td', {}, i.duration == null ? '' : i.duration.toFixed(2) + ' ms'), h('td', {}, i.error ? h('span', { class: 'error' }, i.error) : h('span', { class: 'ok' }, 'ok')))));
      if (!invs.length) recent.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No invocations logged yet.')));
    } catch (e) { clear(stats, h('div', { class: 'error' }, e.message)); }
  }

  // loadLog (re)reads the log, newest first; more() adds newer events.
  async function loadLog() {
    const my = ++gen;
    seen = new Set();
    clear(lines, h('span', { class: 'muted' }, 'Loading…'));
    try {
      const evs = await filterEvents(group, { pattern: filter.value.trim(), startTime: Date.now() - DAY, max: 5000 });
      if (my !== gen) return;
      clear(lines, ...evs.slice().reverse().map((e) => { seen.add(e.eventId); return lineEl(e); }));
      last = evs.length ? evs[evs.length - 1].timestamp : null;
      if (!evs.length) lines.append(h('span', { class: 'muted' }, 'No log events' + (filter.value.trim() ? ' match.' : '.')));
      lines.dataset.events = String(evs.length);
    } catch (e) { clear(lines, h('div', { class: 'error' }, e.message)); }
  }
  async function more() {
    if (!lines.isConnected) { stopFollow(); return; }
    const my = gen;
    try {
      const evs = await filterEvents(group, { pattern: filter.value.trim(), startTime: last ?? 0, max: 2000 });
      if (my !== gen) return;
      const fresh = evs.filter((e) => !seen.has(e.eventId));
      if (!fresh.length) return;
      if (lines.dataset.events === '0') clear(lines);
      for (const e of fresh) { seen.add(e.eventId); lines.prepend(lineEl(e)); }
      last = evs[evs.length - 1].timestamp;
      lines.dataset.events = String(Number(lines.dataset.events || 0) + fresh.length);
      loadStats();
    } catch (e) { toast(e.message); }
  }
  filter.addEventListener('input', debounce(loadLog, 300));
  follow.onchange = () => {
    clearInterval(timer);
    timer = follow.checked ? setInterval(more, 2000) : null;
  };
  stopFollow = () => { clearInterval(timer); timer = null; };
  loadStats();
  loadLog();
  return h('div', { class: 'panel', id: 'fn-activity' },
    h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Invocations (last 24 h)'), h('span', { class: 'muted mono' }, group),
      h('button', { onclick: () => { loadStats(); loadLog(); } }, 'Refresh')),
    stats,
    h('table', { class: 'plain', id: 'fn-invocations' }, h('thead', {}, h('tr', {}, ...['Time', 'Request', 'Duration', 'Status'].map((x) => h('th', {}, x)))), recent),
    h('h3', {}, 'Log'),
    h('div', { class: 'row' }, filter, h('label', {}, follow, ' follow (every 2 s)')),
    lines);
}
