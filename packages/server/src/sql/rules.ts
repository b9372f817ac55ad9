/**
 * What users' SQL may do. Reads are SELECT-shaped statements over datasets; writes are
 * INSERT/UPSERT/UPDATE/DELETE on datasets. Everything else is refused up front with the reason,
 * and the facts DuckDB's parser reports (ast.ts) are checked against allow-lists: the table
 * functions that only generate rows, and no function that reads settings or state.
 */
import { ApiError } from '../errors.js';
import type { StatementFacts } from './ast.js';

export const notAllowed = (reason: string) => new ApiError(400, 'statement_not_allowed_exception', reason);

export type StatementKind = 'read' | 'describe' | 'show' | 'write';

const READ_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE']);
const WRITE_KEYWORDS = new Set(['INSERT', 'UPSERT', 'UPDATE', 'DELETE']);

const REFUSED: Array<[string[], string]> = [
  [['COPY', 'EXPORT', 'IMPORT'], 'reads or writes files'],
  [['ATTACH', 'DETACH', 'USE'], 'opens or switches databases'],
  [['INSTALL', 'LOAD', 'FORCE'], 'installs or loads extensions'],
  [['PRAGMA', 'SET', 'RESET'], 'changes settings'],
  [['CALL'], 'calls procedures and table functions outside a SELECT'],
  [['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'COMMENT'], 'is DDL: datasets are created by PUT /{dataset}, by bulk ingest or by INSERT, and dropped by DELETE /{dataset}'],
  [['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE'], 'controls transactions: every statement is its own transaction'],
  [['PREPARE', 'EXECUTE', 'DEALLOCATE'], 'manages prepared statements'],
  [['CHECKPOINT', 'VACUUM', 'ANALYZE'], 'is storage maintenance, which the server runs itself'],
  [['EXPLAIN', 'SUMMARIZE', 'PIVOT', 'UNPIVOT', 'MERGE'], 'is not supported on /sql yet'],
];

/** Classifies a statement by its leading keyword; refuses everything that is not a read or a write. */
export function statementKind(keyword: string | undefined): StatementKind {
  if (keyword === undefined) throw notAllowed('expected a statement such as SELECT …, INSERT …, UPDATE … or DELETE …');
  if (READ_KEYWORDS.has(keyword)) return 'read';
  if (WRITE_KEYWORDS.has(keyword)) return 'write';
  if (keyword === 'DESCRIBE' || keyword === 'DESC') return 'describe';
  if (keyword === 'SHOW') return 'show';
  for (const [keywords, reason] of REFUSED) {
    if (keywords.includes(keyword)) throw notAllowed(`${keyword} ${reason}; /sql runs one SELECT, INSERT, UPDATE or DELETE over datasets`);
  }
  throw notAllowed(`${keyword} statements are not allowed; /sql runs one SELECT, INSERT, UPDATE or DELETE over datasets`);
}

/** Table functions that only produce rows from their arguments. */
const TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest', 'json_each', 'json_tree']);

/** Scalar functions that read the server's settings, variables, secrets or sequences. */
const REFUSED_FUNCTIONS = new Set([
  'current_setting',
  'getvariable',
  'getenv',
  'which_secret',
  'nextval',
  'currval',
  'setseed',
  'txid_current',
  'pg_get_viewdef',
  'pg_get_constraintdef',
  'pg_table_is_visible',
  'has_table_privilege',
  'has_schema_privilege',
  'has_database_privilege',
  'has_column_privilege',
  'has_function_privilege',
  'has_sequence_privilege',
]);

export function checkFacts(facts: StatementFacts): void {
  for (const fn of facts.tableFunctions) {
    if (!TABLE_FUNCTIONS.has(fn)) {
      throw notAllowed(
        `table function ${fn}() is not allowed: SQL reads datasets only (files, URLs and the database catalogue are out of reach); allowed table functions: ${[...TABLE_FUNCTIONS].join(', ')}`,
      );
    }
  }
  for (const fn of facts.functions) {
    if (REFUSED_FUNCTIONS.has(fn) || fn.startsWith('duckdb_') || fn.startsWith('pragma_')) {
      throw notAllowed(`function ${fn}() is not allowed: it reads the server's settings or state`);
    }
  }
  if (facts.otherRefs.length > 0) throw notAllowed(`${facts.otherRefs[0].toLowerCase().replace(/_/g, ' ')} in FROM is not allowed`);
}

/** Schemas that hold DuckDB's own catalogue: asking for them is a 400 with a pointer, not a 404. */
export const SYSTEM_SCHEMAS = new Set(['information_schema', 'pg_catalog', 'system', 'temp', 'main']);
