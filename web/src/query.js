// query.js — running SQL through the real APIs: Athena
// (StartQueryExecution / GetQueryExecution / GetQueryResults /
// StopQueryExecution) and the warehouse (redshift-data ExecuteStatement /
// DescribeStatement / GetStatementResult / CancelStatement).
import { awsJSON, s3, APIError } from './api.js';
import { sleep } from './dom.js';
import * as settings from './settings.js';

const MAX_ROWS = 100000;
const ensured = new Set();

// ensureResultsBucket creates the Athena output bucket if it is missing
// (HeadBucket, then CreateBucket), once per page load.
async function ensureResultsBucket(loc) {
  const bucket = /^s3:\/\/([^/]+)/.exec(loc)?.[1];
  if (!bucket || ensured.has(bucket)) return;
  try {
    await s3('HEAD', '/' + bucket);
  } catch (e) {
    if (e.status !== 404) throw e;
    await s3('PUT', '/' + bucket);
  }
  ensured.add(bucket);
}

// runQuery runs sql on engine ('athena' | 'warehouse'). opts: {database,
// signal (AbortSignal: cancels the query), onStatus(text)}. Resolves to
// {id, columns, types, rows, stats}; rows hold strings, numbers or null.
export function runQuery(engine, sql, opts = {}) {
  return engine === 'warehouse' ? runWarehouse(sql, opts) : runAthena(sql, opts);
}

async function poll(check, signal, cancel) {
  let wait = 150;
  for (;;) {
    if (signal?.aborted) {
      await cancel().catch(() => {});
      throw new APIError('Query cancelled', 0, 'Cancelled');
    }
    const done = await check();
    if (done) return done;
    await new Promise((resolve) => {
      const t = setTimeout(resolve, wait);
      signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
    wait = Math.min(1000, wait * 1.5);
  }
}

async function runAthena(sql, { database, signal, onStatus } = {}) {
  const loc = settings.get('athenaOutput');
  await ensureResultsBucket(loc);
  const start = await awsJSON('athena', 'StartQueryExecution', {
    QueryString: sql, WorkGroup: settings.get('athenaWorkGroup') || 'primary',
    QueryExecutionContext: { Database: database || 'default' },
    ResultConfiguration: { OutputLocation: loc },
  });
  const id = start.QueryExecutionId;
  const t0 = performance.now();
  const qe = await poll(async () => {
    const { QueryExecution: q } = await awsJSON('athena', 'GetQueryExecution', { QueryExecutionId: id });
    const st = q.Status.State;
    onStatus?.(st);
    return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(st) ? q : null;
  }, signal, () => awsJSON('athena', 'StopQueryExecution', { QueryExecutionId: id }));
  if (qe.Status.State !== 'SUCCEEDED') {
    throw new APIError(qe.Status.StateChangeReason || 'Query ' + qe.Status.State, 0, qe.Status.State);
  }
  let columns = [], types = [], rows = [], token, first = true;
  do {
    const page = await awsJSON('athena', 'GetQueryResults', { QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) });
    if (first) {
      const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo || [];
      columns = info.map((c) => c.Label || c.Name);
      types = info.map((c) => c.Type);
    }
    let data = (page.ResultSet?.Rows || []).map((r) => (r.Data || []).map((d) => (d.VarCharValue === undefined ? null : d.VarCharValue)));
    // Athena repeats the column labels as the first row of a SELECT's results.
    if (first && data.length && columns.length && data[0].every((v, i) => v === columns[i])) data = data.slice(1);
    first = false;
    rows.push(...data.map((r) => r.map((v, i) => convert(v, types[i]))));
    token = page.NextToken;
  } while (token && rows.length < MAX_ROWS && !signal?.aborted);
  const stats = qe.Statistics || {};
  return {
    id, columns, types, rows, truncated: !!token,
    stats: { ms: stats.TotalExecutionTimeInMillis ?? Math.round(performance.now() - t0), scanned: stats.DataScannedInBytes, state: qe.Status.State },
  };
}

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|double|float|real|decimal.*|int2|int4|int8|float4|float8|numeric.*)$/i;

function convert(v, type) {
  if (v == null) return null;
  if (type && NUMERIC.test(type) && v !== '' && !isNaN(Number(v))) return Number(v);
  return v;
}

async function runWarehouse(sql, { database, signal, onStatus } = {}) {
  const t0 = performance.now();
  const ex = await awsJSON('redshift-data', 'ExecuteStatement', {
    Sql: sql, Database: database || settings.get('warehouseDatabase'), WorkgroupName: settings.get('warehouseWorkgroup'),
  });
  const id = ex.Id;
  const st = await poll(async () => {
    const d = await awsJSON('redshift-data', 'DescribeStatement', { Id: id });
    onStatus?.(d.Status);
    return ['FINISHED', 'FAILED', 'ABORTED'].includes(d.Status) ? d : null;
  }, signal, () => awsJSON('redshift-data', 'CancelStatement', { Id: id }));
  if (st.Status !== 'FINISHED') throw new APIError(st.Error || 'Statement ' + st.Status, 0, st.Status);
  let columns = [], types = [], rows = [], token;
  if (st.HasResultSet) {
    do {
      const page = await awsJSON('redshift-data', 'GetStatementResult', { Id: id, ...(token ? { NextToken: token } : {}) });
      if (!columns.length) {
        columns = (page.ColumnMetadata || []).map((c) => c.label || c.name);
        types = (page.ColumnMetadata || []).map((c) => c.typeName);
      }
      for (const rec of page.Records || []) {
        rows.push(rec.map((f) => (f.isNull ? null : f.stringValue ?? f.longValue ?? f.doubleValue ?? f.booleanValue ?? (f.blobValue !== undefined ? '(blob)' : null))));
      }
      token = page.NextToken;
    } while (token && rows.length < MAX_ROWS && !signal?.aborted);
  }
  return {
    id, columns, types, rows, truncated: !!token,
    stats: { ms: Math.round(performance.now() - t0), rows: st.ResultRows, state: st.Status },
  };
}

export { sleep };
