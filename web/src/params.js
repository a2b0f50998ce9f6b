// params.js — dashboard filter values substituted into tile SQL.
//
// Every value becomes a quoted SQL string literal ('' doubles a quote), or
// NULL for "all", so a filter can never change a query's structure:
//   date_range "period": {{period_start}} {{period_end}}, and for the first
//     date range also {{start}} {{end}}, {{prev_start}} {{prev_end}} (the
//     preceding period of the same length, for KPI comparisons);
//   dropdown "category": {{category}}.
// Unknown {{names}} are left as they are (the query then fails visibly).

export function quote(v) {
  if (v == null) return 'NULL';
  return "'" + String(v).replace(/'/g, "''") + "'";
}

export function substitute(sql, values) {
  return sql.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (m, name) =>
    Object.prototype.hasOwnProperty.call(values, name) ? quote(values[name]) : m);
}

const DAY = 86400000;
export const isoDay = (d) => new Date(d).toISOString().slice(0, 10);

// defaultRange turns "7d" / "24h" / "" into {start, end} dates (ISO days).
export function defaultRange(spec, now = Date.now()) {
  const m = /^(\d+)([dh])$/.exec(spec || '7d') || [0, 7, 'd'];
  const ms = Number(m[1]) * (m[2] === 'h' ? 3600000 : DAY);
  return { start: isoDay(now - ms), end: isoDay(now) };
}

// values computes the substitution map of a dashboard's filter state.
// state: {filterName: value | {start, end}}.
export function filterValues(filters, state) {
  const out = {};
  let first = true;
  for (const f of filters || []) {
    const v = state[f.name];
    if (f.type === 'date_range') {
      const r = v || defaultRange(f.default);
      out[f.name + '_start'] = r.start;
      out[f.name + '_end'] = r.end;
      if (first) {
        first = false;
        out.start = r.start;
        out.end = r.end;
        const len = new Date(r.end) - new Date(r.start) + DAY;
        out.prev_start = isoDay(new Date(r.start) - len);
        out.prev_end = isoDay(new Date(r.start) - DAY);
      }
    } else {
      out[f.name] = v === '' || v === undefined ? null : v;
    }
  }
  return out;
}

// previous shifts a value map to the previous period (for KPI deltas).
export function previous(values) {
  if (!values.prev_start) return null;
  return { ...values, start: values.prev_start, end: values.prev_end };
}
