/** Small SQL helpers for the storage layer (never used on user input: names are ours). */
import type { FieldType } from '../types.js';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The per-dataset tables. Datasets are stored under numeric ids so user names never reach SQL. */
export const tables = (id: number) => ({
  docs: `ds_${id}`,
  postings: `ds_${id}_postings`,
  deleted: `ds_${id}_deleted`,
  /** Per write batch and text field: docs with a token and token count (BM25's collection statistics). */
  fieldStats: `ds_${id}_fieldstats`,
});

const SCALAR_SQL_TYPE: Record<FieldType, string> = {
  text: 'VARCHAR',
  keyword: 'VARCHAR',
  long: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'TIMESTAMP',
  object: 'VARCHAR',
};

export const sqlType = (type: FieldType, multi: boolean) => SCALAR_SQL_TYPE[type] + (multi ? '[]' : '');
