// csv.js — CSV parsing (RFC 4180, for previews) and writing (exports).

export function parseCSV(text, sep = ',', maxRows = 10000) {
  const rows = [];
  let row = [], field = '', i = 0, q = false;
  while (i < text.length && rows.length < maxRows) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else q = false;
      } else field += c;
    } else if (c === '"' && field === '') q = true;
    else if (c === sep) { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
    i++;
  }
  if ((field !== '' || row.length) && rows.length < maxRows) { row.push(field); rows.push(row); }
  return rows;
}

function cell(v) {
  if (v == null) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function toCSV(columns, rows) {
  return [columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

// jsonRows turns JSON (an array, or JSON Lines) into columns and rows.
export function jsonRows(text, maxRows = 10000) {
  let items;
  const t = text.trim();
  if (t.startsWith('[')) items = JSON.parse(t);
  else items = t.split('\n').filter((l) => l.trim()).slice(0, maxRows).map((l) => JSON.parse(l));
  if (!Array.isArray(items)) items = [items];
  const cols = [];
  const seen = new Set();
  for (const it of items.slice(0, 500)) {
    if (it && typeof it === 'object' && !Array.isArray(it)) {
      for (const k of Object.keys(it)) if (!seen.has(k)) { seen.add(k); cols.push(k); }
    }
  }
  if (!cols.length) return { columns: ['value'], rows: items.map((v) => [v]) };
  return { columns: cols, rows: items.slice(0, maxRows).map((it) => cols.map((c) => it?.[c] ?? null)) };
}
