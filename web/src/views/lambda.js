// views/lambda.js — functions: ListFunctions, configuration, Invoke
// (RequestResponse with the log tail).
import { h, clear, toast, badge, fmtBytes } from '../dom.js';
import { lambdaREST, decodeJSON } from '../api.js';

export function lambdaView(main) {
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
        list.append(li);
      }
    } catch (e) { toast(e.message); }
  })();
}

async function show(detail, name) {
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
      } }, 'Invoke')), result));
}
