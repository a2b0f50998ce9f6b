// api.js — the console's only way out: its own JSON API (session,
// dashboards) and the signing proxy api/aws/{service}, through which every
// action is a real, SigV4-signed AWS call served by tarn.

let csrf = '';
let onUnauthorized = () => {};

export function setSession(s) { csrf = s ? s.csrf : ''; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export class APIError extends Error {
  constructor(message, status, code) { super(message); this.status = status; this.code = code; }
}

// api calls the console API at path (relative to /_tarn/ui/api/).
export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-Tarn-CSRF'] = csrf;
  const r = await fetch('api/' + path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let data;
  try { data = text ? JSON.parse(text) : {}; } catch { data = { error: text }; }
  if (r.status === 401 && path !== 'signin' && path !== 'session') onUnauthorized();
  if (!r.ok) throw new APIError(data.error || r.statusText, r.status);
  return data;
}

// aws sends one request through the signing proxy. req: {method, path,
// query, headers, body | body_base64}. Answers {status, headers, body,
// body_base64} exactly as tarn answered.
export function aws(service, req) { return api('POST', 'aws/' + service, req); }

const targets = {
  kinesis: ['Kinesis_20131202', '1.1'], dynamodb: ['DynamoDB_20120810', '1.0'], glue: ['AWSGlue', '1.1'],
  athena: ['AmazonAthena', '1.1'], 'redshift-data': ['RedshiftData', '1.1'], firehose: ['Firehose_20150804', '1.1'],
  logs: ['Logs_20140328', '1.1'], elasticmapreduce: ['ElasticMapReduce', '1.1'],
};

// awsJSON calls operation op of a JSON-protocol service and returns the
// decoded answer, or throws APIError carrying the AWS error code.
export async function awsJSON(service, op, payload = {}) {
  const [prefix, ver] = targets[service];
  const r = await aws(service, {
    method: 'POST', path: '/', body: JSON.stringify(payload),
    headers: { 'X-Amz-Target': prefix + '.' + op, 'Content-Type': 'application/x-amz-json-' + ver },
  });
  return decodeJSON(r);
}

export function decodeJSON(r) {
  let data = {};
  try { data = r.body ? JSON.parse(r.body) : {}; } catch { data = { message: r.body }; }
  if (r.status >= 300) {
    const code = String(data.__type || data.code || r.headers['X-Amzn-Errortype'] || 'Error').split('#').pop().split(':')[0];
    throw new APIError(code + ': ' + (data.message || data.Message || r.status), r.status, code);
  }
  return data;
}

// s3 calls the S3 REST API; XML answers are parsed into a Document (doc).
export async function s3(method, path, query, body, headers) {
  const req = { method, path, query: query || {}, headers: headers || {} };
  if (body instanceof Uint8Array) req.body_base64 = b64encode(body);
  else if (body != null) req.body = body;
  const r = await aws('s3', req);
  const ct = r.headers['Content-Type'] || '';
  if (r.body && ct.includes('xml')) r.doc = new DOMParser().parseFromString(r.body, 'application/xml');
  if (r.status >= 300) {
    const code = r.doc?.querySelector('Code')?.textContent || 'HTTP ' + r.status;
    const msg = r.doc?.querySelector('Message')?.textContent || '';
    throw new APIError(code + (msg ? ': ' + msg : ''), r.status, code);
  }
  return r;
}

// bytes returns a proxied body as bytes (text bodies are UTF-8).
export function bytes(r) {
  if (r.body_base64) return b64decode(r.body_base64);
  return new TextEncoder().encode(r.body || '');
}

export function b64decode(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function b64encode(u8) {
  let s = '';
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  return btoa(s);
}

// lambdaREST calls the Lambda REST API (path under /2015-03-31/).
export async function lambdaREST(method, path, body, headers) {
  const r = await aws('lambda', { method, path: '/2015-03-31' + path, body: body == null ? '' : body, headers: headers || {} });
  return r;
}

// xmlAll returns the text of child elements named names of every el.
export function xmlRows(doc, tag, names) {
  return [...doc.getElementsByTagName(tag)].map((el) => {
    const o = {};
    for (const n of names) o[n] = el.getElementsByTagName(n)[0]?.textContent ?? '';
    return o;
  });
}
