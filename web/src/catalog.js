// catalog.js — the Glue catalog (GetDatabases / GetTables), cached per
// page load for the workbench tree and completion.
import { awsJSON } from './api.js';

let cache = null;

export function invalidate() { cache = null; }

// load returns [{name, tables: [{name, columns: [{name, type}], partitionKeys, table}]}].
export function load() {
  if (!cache) {
    cache = (async () => {
      const dbs = await pages('GetDatabases', {}, 'DatabaseList');
      return Promise.all(dbs.map(async (d) => {
        const tables = await pages('GetTables', { DatabaseName: d.Name }, 'TableList');
        return {
          name: d.Name, db: d,
          tables: tables.map((t) => ({
            name: t.Name, table: t,
            columns: [...(t.StorageDescriptor?.Columns || []), ...(t.PartitionKeys || [])].map((c) => ({ name: c.Name, type: c.Type })),
          })),
        };
      }));
    })().catch((e) => { cache = null; throw e; });
  }
  return cache;
}

export async function pages(op, input, field) {
  const out = [];
  let token;
  do {
    const r = await awsJSON('glue', op, { ...input, ...(token ? { NextToken: token } : {}) });
    out.push(...(r[field] || []));
    token = r.NextToken;
  } while (token);
  return out;
}

// completions lists database, db.table, table and column names.
export async function completions() {
  const dbs = await load();
  const out = [];
  const seen = new Set();
  const add = (label, detail) => { if (!seen.has(label)) { seen.add(label); out.push({ label, detail }); } };
  for (const d of dbs) {
    add(d.name, 'database');
    for (const t of d.tables) {
      add(d.name + '.' + t.name, 'table');
      add(t.name, 'table');
      for (const c of t.columns) add(c.name, c.type);
    }
  }
  return out;
}
