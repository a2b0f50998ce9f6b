// settings.js — per-browser console settings (localStorage).
const KEY = 'tarn-ui-settings';
const defaults = {
  athenaOutput: 's3://tarn-athena-results/console/',
  athenaWorkGroup: 'primary',
  warehouseDatabase: 'dev',
  warehouseWorkgroup: 'default',
  theme: '',
};

export function get(name) {
  try { return { ...defaults, ...JSON.parse(localStorage.getItem(KEY) || '{}') }[name]; } catch { return defaults[name]; }
}

export function set(name, value) {
  let s = {};
  try { s = JSON.parse(localStorage.getItem(KEY) || '{}'); } catch { /* reset */ }
  s[name] = value;
  localStorage.setItem(KEY, JSON.stringify(s));
}

// isDark reports whether the console is in its dark theme (the toggle's
// choice, else the system's).
export function isDark() {
  const t = document.documentElement.dataset.theme;
  return t ? t === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
}
