/**
 * QueryNode → a DuckDB boolean expression over one dataset's docs table. Every leaf is made
 * NULL-safe (coalesce … false) so that `must_not` keeps documents that lack the field, as in
 * Elasticsearch. Full-text leaves read the postings; exact leaves read the typed columns.
 */
import { badRequest } from '../../errors.js';
import type { QueryNode, Scalar } from '../../query/ast.js';
import { resolveDateMath } from '../../query/datemath.js';
import type { MappedField } from '../mapping.js';
import type { DatasetState } from './catalog.js';
import { quoteIdent, quoteString, tables } from './sql.js';

/** Elasticsearch's default `ignore_above` for the dynamic `.keyword` sub-field. */
const KEYWORD_IGNORE_ABOVE = 256;

interface Resolved {
  field: MappedField;
  /** The `.keyword` view of a text field: exact, whole-value matching. */
  keyword: boolean;
}

export function compileWhere(node: QueryNode, ds: DatasetState): string {
  switch (node.kind) {
    case 'match_all':
      return 'true';
    case 'match_none':
      return 'false';
    case 'ids':
      return node.values.length ? `_id IN (${node.values.map(quoteString).join(', ')})` : 'false';
    case 'term':
      return termSql(ds, node.field, [node.value]);
    case 'terms':
      return termSql(ds, node.field, node.values);
    case 'range':
      return rangeSql(ds, node);
    case 'bool':
      return boolSql(ds, node);
  }
}

function boolSql(ds: DatasetState, node: Extract<QueryNode, { kind: 'bool' }>): string {
  const parts: string[] = [];
  for (const q of [...node.must, ...node.filter]) parts.push(`(${compileWhere(q, ds)})`);
  for (const q of node.mustNot) parts.push(`NOT (${compileWhere(q, ds)})`);
  if (node.should.length > 0) {
    const required = minimumShouldMatch(node.minimumShouldMatch, node.should.length, node.must.length + node.filter.length > 0);
    if (required > 0) {
      const hits = node.should.map((q) => `(${compileWhere(q, ds)})::INT`).join(' + ');
      parts.push(`(${hits}) >= ${required}`);
    }
  }
  return parts.length ? parts.join(' AND ') : 'true';
}

/** ES semantics: default 1 when the bool has no must/filter, else 0; supports `N`, `-N`, `N%`, `-N%`. */
function minimumShouldMatch(spec: number | string | undefined, optional: number, hasRequired: boolean): number {
  if (spec === undefined) return hasRequired ? 0 : 1;
  const s = String(spec).trim();
  const m = /^(-?)(\d+)(%?)$/.exec(s);
  if (!m) throw badRequest(`unsupported minimum_should_match [${s}]`);
  const n = Number(m[2]);
  let count = m[3] ? Math.floor((optional * n) / 100) : n;
  if (m[1]) count = optional - count;
  return Math.max(0, Math.min(optional, count));
}

function resolve(ds: DatasetState, path: string): Resolved | undefined {
  const direct = ds.mapping.get(path);
  if (direct) return { field: direct, keyword: direct.type === 'keyword' };
  if (path.endsWith('.keyword')) {
    const parent = ds.mapping.get(path.slice(0, -'.keyword'.length));
    if (parent?.type === 'text') return { field: parent, keyword: true };
  }
  return undefined;
}

function termSql(ds: DatasetState, path: string, values: Scalar[]): string {
  const r = resolve(ds, path);
  if (!r || values.length === 0) return 'false';
  const { field } = r;
  if (field.type === 'text' && !r.keyword) {
    const terms = values.map((v) => quoteString(String(v))).join(', ');
    return `_seq IN (SELECT unnest(seqs) FROM ${tables(ds.id).postings} WHERE field = ${field.postingsId} AND term IN (${terms}))`;
  }
  const literals = values
    .filter((v) => !(r.keyword || field.type === 'keyword') || String(v).length <= KEYWORD_IGNORE_ABOVE)
    .map((v) => literal(field, v));
  if (literals.length === 0) return 'false';
  const col = quoteIdent(field.column);
  if (field.multi) return `coalesce(list_has_any(${col}, [${literals.join(', ')}]), false)`;
  return `coalesce(${col} IN (${literals.join(', ')}), false)`;
}

function rangeSql(ds: DatasetState, node: Extract<QueryNode, { kind: 'range' }>): string {
  const r = resolve(ds, node.field);
  if (!r) return 'false';
  const bounds: Array<[string, string]> = [];
  const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  for (const key of ['gt', 'gte', 'lt', 'lte'] as const) {
    const v = node[key];
    if (v === undefined) continue;
    const lit = r.field.type === 'date' ? dateLiteral(node.field, v, key === 'gt' || key === 'lte') : literal(r.field, v);
    bounds.push([ops[key], lit]);
  }
  const col = quoteIdent(r.field.column);
  if (bounds.length === 0) return `${col} IS NOT NULL`;
  const on = (operand: string) => bounds.map(([op, lit]) => `${operand} ${op} ${lit}`).join(' AND ');
  if (r.field.multi) return `coalesce(len(list_filter(${col}, lambda x: ${on('x')})) > 0, false)`;
  return `coalesce(${on(col)}, false)`;
}

function dateLiteral(path: string, v: Scalar, roundUp: boolean): string {
  const ms = typeof v === 'boolean' ? undefined : resolveDateMath(v, roundUp);
  if (ms === undefined) throw badRequest(`failed to parse date field [${String(v)}] of [${path}]`, 'parse_exception');
  return `TIMESTAMP ${quoteString(new Date(ms).toISOString().replace('T', ' ').replace('Z', ''))}`;
}

/** A value as a SQL literal of the field's type; values that cannot be that type are a 400, as in ES. */
function literal(field: MappedField, v: Scalar): string {
  switch (field.type) {
    case 'long':
    case 'double': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw badRequest(`failed to create query: For input string: "${String(v)}" on field [${field.path}]`, 'query_shard_exception');
      return String(n);
    }
    case 'boolean':
      if (v === true || v === 'true') return 'true';
      if (v === false || v === 'false') return 'false';
      throw badRequest(`Can't parse boolean value [${String(v)}], expected [true] or [false]`, 'query_shard_exception');
    case 'date':
      return dateLiteral(field.path, v, false);
    default:
      return quoteString(String(v));
  }
}
