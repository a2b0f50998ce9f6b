// main.js — boots the console: session check, sign-in page, the shell
// (top bar, navigation, theme toggle) and the hash router.
import { h, clear, toast, dialog } from './dom.js';
import { api, setSession, setUnauthorizedHandler } from './api.js';
import * as settings from './settings.js';
import { isDark } from './settings.js';
import { s3View } from './views/s3.js';
import { streamsView } from './views/streams.js';
import { dynamoView } from './views/dynamo.js';
import { lambdaView } from './views/lambda.js';
import { glueView } from './views/glue.js';
import { historyView } from './views/history.js';
import { jobsView } from './views/jobs.js';
import { workbenchView } from './views/workbench.js';
import { dashboardsView } from './views/dashboards.js';

const routes = [
  { path: 'lake', label: 'Lake (S3)', group: 'Explore', view: s3View },
  { path: 'streams', label: 'Streams', view: streamsView },
  { path: 'dynamodb', label: 'DynamoDB', view: dynamoView },
  { path: 'lambda', label: 'Functions', view: lambdaView },
  { path: 'catalog', label: 'Catalog', view: glueView },
  { path: 'history', label: 'Query history', view: historyView },
  { path: 'jobs', label: 'Jobs', group: 'Batch', view: jobsView },
  { path: 'sql', label: 'SQL workbench', group: 'Analyze', view: workbenchView },
  { path: 'dashboards', label: 'Dashboards', view: dashboardsView },
];

let session = null;
let cleanup = null;
const app = document.getElementById('app');

function applyTheme() {
  const t = settings.get('theme');
  if (t) document.documentElement.dataset.theme = t;
  else delete document.documentElement.dataset.theme;
}


function toggleTheme() {
  settings.set('theme', isDark() ? 'light' : 'dark');
  applyTheme();
  window.dispatchEvent(new Event('tarn-theme'));
}

function signInPage(error) {
  const ak = h('input', { name: 'access_key', id: 'access_key', autocomplete: 'username', required: true });
  const sk = h('input', { name: 'secret_key', id: 'secret_key', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('div', { class: 'error', id: 'signin-error' }, error || '');
  const form = h('form', { class: 'signin', method: 'post', action: 'api/signin', onsubmit: async (e) => {
    e.preventDefault();
    msg.textContent = '';
    try {
      session = await api('POST', 'signin', { access_key: ak.value, secret_key: sk.value });
      setSession(session);
      shell();
    } catch (err) { msg.textContent = err.message; }
  } },
  h('div', { class: 'brand' }, 't', h('span', {}, 'arn'), ' console'),
  h('div', { class: 'muted' }, 'Sign in with a tarn access key and secret.'),
  h('label', {}, 'Access key', ak), h('label', {}, 'Secret key', sk),
  h('button', { class: 'primary', type: 'submit', id: 'signin' }, 'Sign in'), msg);
  clear(app, form);
  ak.focus();
}

async function signOut() {
  try { await api('POST', 'signout'); } catch { /* the session is gone either way */ }
  session = null;
  setSession(null);
  location.hash = '';
  signInPage();
}

let main, nav, shellEl;
function shell() {
  main = h('main', { class: 'main', id: 'main' });
  nav = h('nav', { class: 'nav' });
  let group;
  for (const r of routes) {
    if (r.group && r.group !== group) { group = r.group; nav.append(h('div', { class: 'group' }, group)); }
    nav.append(h('a', { href: '#/' + r.path, 'data-route': r.path, onclick: () => shellEl.classList.remove('nav-open') }, r.label));
  }
  shellEl = h('div', { class: 'shell' },
    h('header', { class: 'topbar' },
      h('button', { class: 'menu-btn', 'aria-label': 'Menu', onclick: () => shellEl.classList.toggle('nav-open') }, '☰'),
      h('div', { class: 'brand' }, 't', h('span', {}, 'arn')),
      h('span', { class: 'spacer' }),
      h('span', { class: 'muted', id: 'whoami' }, session.access_key + ' · ' + session.region),
      h('button', { onclick: toggleTheme, id: 'theme-toggle', title: 'Toggle light/dark theme' }, '◐'),
      h('button', { onclick: editSettings, id: 'settings', title: 'Settings' }, 'Settings'),
      h('button', { onclick: signOut, id: 'signout' }, 'Sign out')),
    nav, main);
  clear(app, shellEl);
  route();
}

// editSettings edits the per-browser query settings.
async function editSettings() {
  const fields = [['athenaOutput', 'Athena results location (s3://bucket/prefix/)'], ['athenaWorkGroup', 'Athena work group'],
    ['warehouseDatabase', 'Warehouse database'], ['warehouseWorkgroup', 'Warehouse work group']];
  const inputs = Object.fromEntries(fields.map(([k]) => [k, h('input', { id: 'setting-' + k, value: settings.get(k) })]));
  await dialog('Settings', h('div', { class: 'formgrid' }, ...fields.map(([k, label]) => h('label', {}, label, inputs[k]))), [{
    label: 'Save', primary: true, id: 'settings-save', run: () => {
      if (!/^s3:\/\/[a-z0-9.-]{3,63}\//.test(inputs.athenaOutput.value)) throw new Error('The results location must look like s3://bucket/prefix/.');
      for (const [k] of fields) settings.set(k, inputs[k].value.trim());
      return true;
    },
  }]);
}

function route() {
  if (!session) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const r = routes.find((x) => x.path === parts[0]) || routes[0];
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.route === r.path);
  if (cleanup) { try { cleanup(); } catch { /* view already gone */ } }
  cleanup = null;
  clear(main);
  try {
    cleanup = r.view(main, parts.slice(1)) || null;
  } catch (e) { toast(e.message); }
}

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', (e) => { toast(e.reason?.message || String(e.reason)); e.preventDefault(); });
setUnauthorizedHandler(() => { session = null; setSession(null); signInPage('Your session ended; sign in again.'); });

async function boot() {
  applyTheme();
  try {
    session = await api('GET', 'session');
    setSession(session);
    shell();
  } catch {
    signInPage(new URLSearchParams(location.search).get('error') ? 'The access key or secret is not valid.' : '');
  }
}
boot();
