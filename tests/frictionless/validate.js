// tests/frictionless/validate.js — checks a data package with npm's
// `datapackage` (the Frictionless Data JavaScript implementation, pinned in
// package-lock.json), independently of capmatch: the descriptor is valid
// against the tabular-data-package profile, and every resource reads back
// against its Table Schema (header, types, constraints, primary key
// uniqueness, foreign keys). Prints one line per problem and "ok N rows"
// per resource; exits 1 on any problem, 2 when it cannot run.
// Usage: node validate.js DIR/datapackage.json
'use strict';
const path = require('path');
const { Package } = require('datapackage');

async function main() {
  const file = process.argv[2];
  if (!file) { console.error('usage: node validate.js datapackage.json'); return 2; }
  let bad = 0;
  const pkg = await Package.load(path.resolve(file), { strict: false });
  if (!pkg.valid) {
    for (const e of pkg.errors) console.log(`descriptor: ${e.message}`);
    return 1;
  }
  if (pkg.resources.length === 0) { console.log('descriptor: no resources'); return 1; }
  for (const r of pkg.resources) {
    if (!r.valid) {
      for (const e of r.errors) console.log(`${r.name}: descriptor: ${e.message}`);
      bad++;
      continue;
    }
    if (!r.tabular) { console.log(`${r.name}: not tabular`); bad++; continue; }
    // key fields must be fields, and a foreign key must name a resource of
    // the package (the profile's JSON Schema cannot say either)
    const names = r.schema.fieldNames;
    const keys = [].concat(r.schema.primaryKey || []);
    for (const fk of r.schema.foreignKeys || []) {
      keys.push(...[].concat(fk.fields));
      const ref = fk.reference.resource === '' ? r : pkg.getResource(fk.reference.resource);
      if (!ref) { console.log(`${r.name}: foreign key to no resource "${fk.reference.resource}"`); bad++; }
      else for (const f of [].concat(fk.reference.fields)) {
        if (!ref.schema.fieldNames.includes(f)) { console.log(`${r.name}: foreign key to no field "${f}" of ${ref.name}`); bad++; }
      }
    }
    const unknown = keys.filter((f) => !names.includes(f));
    if (unknown.length) { console.log(`${r.name}: key fields that are not fields: ${unknown.join(', ')}`); bad++; continue; }
    try {
      // relations: true resolves every foreign key against the referenced
      // resource; a row whose key is missing there throws
      const rows = await r.read({ relations: true, forceCast: false });
      // the primary key checked here as well, on the rows as read
      const keyed = await r.read({ keyed: true });
      const pk = r.schema.primaryKey || [];
      const seen = new Set();
      for (const row of keyed) {
        const key = JSON.stringify(pk.map((f) => String(row[f])));
        if (seen.has(key)) { console.log(`${r.name}: duplicate primary key ${key}`); bad++; break; }
        seen.add(key);
      }
      console.log(`${r.name}: ok ${rows.length} rows`);
    } catch (e) {
      const list = e.errors && e.errors.length ? e.errors : [e];
      for (const x of list) console.log(`${r.name}: ${x.message}`);
      bad++;
    }
  }
  return bad ? 1 : 0;
}

main().then((code) => { process.exitCode = code; },
  (e) => { console.log(`cannot validate: ${e && e.message}`); process.exitCode = 2; });
