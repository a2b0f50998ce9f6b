// views/history.js — Athena query history: ListQueryExecutions, then
// BatchGetQueryExecution (50 at a time).
import { h, toast, badge, fmtTime, fmtBytes } from '../dom.js';
import { awsJSON } from '../api.js';

export function historyView(main) {
  const body = h('tbody', {});
  const more = h('button', { style: 'display:none' }, 'Older');
  main.append(h('h2', {}, 'Athena query history'), h('div', { class: 'panel' },
    h('table', { class: 'plain', id: 'history' }, h('thead', {}, h('tr', {}, ...['State', 'Query', 'Database', 'Submitted', 'Run time', 'Scanned'].map((x) => h('th', {}, x)))), body), more));
  let token;
  async function page() {
    const r = await awsJSON('athena', 'ListQueryExecutions', { MaxResults: 50, ...(token ? { NextToken: token } : {}) });
    token = r.NextToken;
    more.style.display = token ? '' : 'none';
    const ids = r.QueryExecutionIds || [];
    if (!ids.length) { body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No queries yet.'))); return; }
    const b = await awsJSON('athena', 'BatchGetQueryExecution', { QueryExecutionIds: ids });
    const byId = Object.fromEntries((b.QueryExecutions || []).map((q) => [q.QueryExecutionId, q]));
    for (const id of ids) {
      const q = byId[id];
      if (!q) continue;
      const db = q.QueryExecutionContext?.Database || '';
      body.append(h('tr', { class: 'click', title: 'Open in the workbench', onclick: () => { location.hash = '#/sql/' + encodeURIComponent(db) + '/' + encodeURIComponent(q.Query); } },
        h('td', {}, badge(q.Status?.State)), h('td', { class: 'mono' }, q.Query.length > 160 ? q.Query.slice(0, 160) + '…' : q.Query,
          q.Status?.StateChangeReason ? h('div', { class: 'error' }, q.Status.StateChangeReason) : null),
        h('td', {}, db), h('td', {}, fmtTime(q.Status?.SubmissionDateTime)),
        h('td', {}, q.Statistics?.TotalExecutionTimeInMillis != null ? q.Statistics.TotalExecutionTimeInMillis + ' ms' : ''),
        h('td', {}, q.Statistics?.DataScannedInBytes != null ? fmtBytes(q.Statistics.DataScannedInBytes) : '')));
    }
  }
  more.onclick = () => page().catch((e) => toast(e.message));
  page().catch((e) => toast(e.message));
}
