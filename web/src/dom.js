// dom.js — a tiny element builder and small UI helpers (no framework).

// h(tag, attrs, ...children): attrs "on*" become listeners, "class" the
// className, true/false toggle boolean attributes; children may nest.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style') el.style.cssText = v;
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let toastTimer;
// toast shows a message for a few seconds (errors by default).
export function toast(msg, kind = 'error') {
  if (kind === 'error') (window.__tarnErrors ||= []).push(String(msg));
  document.querySelector('.toast')?.remove();
  const t = h('div', { class: 'toast ' + kind, role: 'alert' }, String(msg));
  document.body.append(t);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.remove(), 6000);
}

export function fmtBytes(n) {
  n = Number(n);
  if (!isFinite(n)) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + u[i];
}

export function fmtTime(v) {
  if (v == null || v === '') return '';
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return isNaN(d) ? String(v) : d.toLocaleString();
}

export function badge(state) { return h('span', { class: 'badge ' + (state || '') }, state || '?'); }

// download saves data (string or Blob) as a file named name.
export function download(name, data, type = 'text/plain') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// dialog opens a modal with body and buttons; resolves with the value the
// clicked button's handler returns (undefined on cancel).
export function dialog(title, body, buttons) {
  return new Promise((resolve) => {
    const d = h('dialog', {});
    const close = (v) => { d.close(); d.remove(); resolve(v); };
    const actions = h('div', { class: 'row' }, h('span', { class: 'spacer' }),
      h('button', { type: 'button', onclick: () => close(undefined) }, 'Cancel'),
      ...buttons.map((b) => h('button', {
        type: 'button', class: b.primary ? 'primary' : '', id: b.id,
        onclick: async () => {
          try { const v = await b.run(); if (v !== false) close(v); } catch (e) { toast(e.message || e); }
        },
      }, b.label)));
    d.append(h('form', { method: 'dialog', onsubmit: (e) => e.preventDefault() }, h('h2', {}, title), body, actions));
    d.addEventListener('cancel', () => close(undefined));
    document.body.append(d);
    d.showModal();
  });
}

export function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
