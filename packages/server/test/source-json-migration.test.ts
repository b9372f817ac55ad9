/** A data directory from before `_source` was typed JSON opens, converts once, and reads as before. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDuckEngine } from '../src/engine/duck/engine.js';
import { Database } from '../src/storage/database.js';

const dir = mkdtempSync(join(tmpdir(), 'infino-source-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sourceType = async (db: Database) => {
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll("SELECT data_type FROM duckdb_columns() WHERE table_name = 'ds_1' AND column_name = '_source'");
    return String(r.getRows()[0][0]);
  } finally {
    c.closeSync();
  }
};

it('converts a VARCHAR _source to JSON on open, keeping documents byte for byte', async () => {
  let db = await Database.open(dir);
  let engine = await openDuckEngine(db);
  await engine.bulk('old', '{"index":{"_id":"1"}}\n{"a":  1, "b": "x"}\n', () => {});
  // Make it look like an old data directory.
  const c = await db.connect();
  await c.run('ALTER TABLE ds_1 ALTER _source TYPE VARCHAR');
  c.closeSync();
  expect(await sourceType(db)).toBe('VARCHAR');
  await engine.close();

  db = await Database.open(dir);
  engine = await openDuckEngine(db);
  try {
    expect(await sourceType(db)).toBe('JSON');
    expect((await engine.get('old', '1'))?.sourceText).toBe('{"a":  1, "b": "x"}');
    const rows = await engine.querySql(`SELECT _source->>'b' FROM ${engine.sqlRelation('old')}`, ['old'], { maxRows: 10, timeoutMs: 5000 });
    expect(rows.rows).toEqual([['x']]);
  } finally {
    await engine.close();
  }
});
