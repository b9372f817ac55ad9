/**
 * Puts filter predicates into the WHERE of a statement's main SELECT, and the row cap into its
 * LIMIT, by editing DuckDB's own parse of it: `json_serialize_sql` → edit the syntax tree →
 * `json_deserialize_sql`. Filter values enter the tree as typed constant nodes and DuckDB writes
 * them out (quotes doubled, identifiers quoted), so no user value is ever pasted into SQL text;
 * the text DuckDB writes is then checked and run by the SQL service like any statement.
 *
 * The tree is read and written with lossless-json: DuckDB stores DECIMAL constants as scaled
 * integers and marks "no location" with UINT64_MAX, both beyond what a JS number holds exactly.
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { tokenize, translateBackquotes, withoutTrailingSemicolons } from '../sql/tokens.js';
import { type Literal, type PlannedFilter, type Predicate, type SkippedFilter, Timestamp } from './filters.js';

/** The two DuckDB calls this module needs (the engine provides them). */
export interface SqlTreeCodec {
  serializeSql(sql: string): Promise<string>;
  deserializeSql(json: string): Promise<string>;
}

type Node = Record<string, unknown>;

/** A statement as given, with its parse when it is one SELECT-shaped statement DuckDB can serialize. */
export interface ParsedStatement {
  /** The statement as given (shown as `executed_query` when nothing was changed). */
  original: string;
  /** The text DuckDB parsed: back-quoted names read as "name", trailing semicolons dropped, as the SQL service does. */
  text: string;
  /** The serialized parse (JSON text), or null with the reason nothing can be injected. */
  tree: string | null;
  reason: string;
}

export interface RowCap {
  limit: number;
  offset: number;
  /** Raw mode: add the cap only when the statement has no LIMIT. Builder mode: the statement's LIMIT is the cap. */
  mode: 'raw' | 'builder';
}

export interface PreparedStatement {
  /** The statement a user would run (`metadata.executed_query`). */
  display: string;
  /** What actually runs: `display` with the capped LIMIT one higher, so a cut result shows. */
  run: string;
  /** The LIMIT that caps the result when it is ours (else null: the statement's own LIMIT rules). */
  cap: number | null;
  applied: string[];
  skipped: SkippedFilter[];
}

export async function parseStatement(codec: SqlTreeCodec, sql: string): Promise<ParsedStatement> {
  let text: string;
  try {
    // The SQL service reads `name` as "name" and ignores trailing semicolons; the parse must see the same statement.
    const lexed = tokenize(sql);
    const trimmed = withoutTrailingSemicolons(sql, lexed);
    text = translateBackquotes(trimmed.sql, trimmed.tokens);
  } catch {
    return { original: sql, text: sql, tree: null, reason: 'the query could not be parsed' };
  }
  let parsed: { error?: boolean; error_message?: string; statements?: Array<{ node: Node }> };
  try {
    parsed = parse(await codec.serializeSql(text)) as typeof parsed;
  } catch (e) {
    return { original: sql, text, tree: null, reason: `the query could not be parsed: ${(e as Error).message}` };
  }
  if (parsed.error) {
    const message = String(parsed.error_message ?? '');
    const reason = /only SELECT/i.test(message) ? 'filters apply to SELECT statements only' : `the query could not be parsed: ${message}`;
    return { original: sql, text, tree: null, reason };
  }
  if (parsed.statements?.length !== 1) return { original: sql, text, tree: null, reason: 'the query holds more than one statement' };
  const node = parsed.statements[0].node;
  // DESCRIBE, SHOW and SUMMARIZE parse as SELECT * FROM <show>, and are written back without a WHERE or LIMIT.
  if ((node.from_table as Node | null)?.type === 'SHOW_REF') return { original: sql, text, tree: null, reason: 'DESCRIBE, SHOW and SUMMARIZE take no filters' };
  return { original: sql, text, tree: stringify(node) ?? null, reason: '' };
}

/**
 * Injects `filters` and the row cap. Filters that find no safe place are skipped with the reason
 * and the statement runs without them.
 */
export async function prepareStatement(codec: SqlTreeCodec, stmt: ParsedStatement, filters: PlannedFilter[], cap: RowCap): Promise<PreparedStatement> {
  const unchanged = (reason: string): PreparedStatement => ({
    display: stmt.original,
    run: stmt.original,
    cap: null,
    applied: [],
    skipped: filters.map((f) => ({ field: f.field, reason })),
  });
  if (stmt.tree === null) return unchanged(stmt.reason);
  try {
    return await edit(codec, stmt, stmt.tree, filters, cap);
  } catch (e) {
    // DuckDB could not write the edited parse back as SQL: the statement runs as written.
    return unchanged(`the query could not be rewritten: ${(e as Error).message}`);
  }
}

async function edit(codec: SqlTreeCodec, stmt: ParsedStatement, tree: string, filters: PlannedFilter[], cap: RowCap): Promise<PreparedStatement> {
  const root = parse(tree) as Node;
  const applied: string[] = [];
  const skipped: SkippedFilter[] = [];
  if (filters.length > 0) {
    const refusal = injectionRefusal(root);
    if (refusal) skipped.push(...filters.map((f) => ({ field: f.field, reason: refusal })));
    else {
      addPredicates(root, filters);
      // A Builder statement's Top-N ranking subquery reads the same dataset: filtered alike, the
      // top N are those of the filtered rows. (A raw query's subqueries mean what their author wrote.)
      if (cap.mode === 'builder') for (const sub of sameTableSelects(root.select_list, root.from_table as Node)) addPredicates(sub, filters);
      for (const f of filters) if (!applied.includes(f.field)) applied.push(f.field);
    }
  }
  const limit = limitModifier(root);
  let ours: Node | null = null;
  if (cap.mode === 'builder') ours = limit?.limit ? limit : null;
  else if (!limit?.limit && !percentLimit(root)) {
    // No LIMIT of its own: the visualization's limit applies (an OFFSET already written stays).
    ours = limit ?? { type: 'LIMIT_MODIFIER', limit: null, offset: cap.offset > 0 ? constant(cap.offset) : null };
    ours.limit = constant(cap.limit);
    if (!limit) (root.modifiers as Node[]).push(ours);
  }
  const edited = applied.length > 0 || (ours !== null && cap.mode === 'raw');
  const display = edited ? await deserialize(codec, root) : stmt.original;
  if (ours === null) return { display, run: display, cap: null, applied, skipped };
  const capValue = constantInteger(ours.limit as Node);
  if (capValue === null) return { display, run: display, cap: null, applied, skipped };
  ours.limit = constant(capValue + 1);
  return { display, run: await deserialize(codec, root), cap: capValue, applied, skipped };
}

/** Why the statement has no single main SELECT to filter, or '' when it has one. */
function injectionRefusal(root: Node): string {
  if (root.type === 'SET_OPERATION_NODE') {
    return `the query is a ${String(root.setop_type ?? 'set operation')}: there is no single main SELECT to filter (filter each branch in raw_query instead)`;
  }
  if (root.type !== 'SELECT_NODE') return `the query's main statement (${String(root.type)}) takes no WHERE`;
  if ((root.from_table as Node | null)?.type === 'EMPTY') return 'the query reads no table';
  return '';
}

function addPredicates(select: Node, filters: PlannedFilter[]): void {
  const predicates = filters.map((f) => predicateNode(f.column, f.predicate));
  const where = select.where_clause as Node | null;
  const all = where ? [where, ...predicates] : predicates;
  select.where_clause = all.length === 1 ? all[0] : conjunction(all);
}

/** SELECTs nested in `value` whose FROM is the same single table as `table`. */
function sameTableSelects(value: unknown, table: Node, found: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const v of value) sameTableSelects(v, table, found);
  else if (value !== null && typeof value === 'object' && !isLosslessNumber(value)) {
    const node = value as Node;
    if (node.type === 'SELECT_NODE' && sameTable(node.from_table as Node | null, table)) found.push(node);
    for (const v of Object.values(node)) sameTableSelects(v, table, found);
  }
  return found;
}

const sameTable = (a: Node | null, b: Node) =>
  a?.type === 'BASE_TABLE' && b.type === 'BASE_TABLE' && ['catalog_name', 'schema_name', 'table_name'].every((k) => a[k] === b[k]);

const limitModifier = (root: Node) => (root.modifiers as Node[]).find((m) => m.type === 'LIMIT_MODIFIER') ?? null;
const percentLimit = (root: Node) => (root.modifiers as Node[]).some((m) => m.type === 'LIMIT_PERCENT_MODIFIER');

function constantInteger(node: Node): number | null {
  if (node.type !== 'VALUE_CONSTANT') return null;
  const v = (node.value as Node).value;
  const n = isLosslessNumber(v) ? Number(v.toString()) : typeof v === 'number' ? v : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

async function deserialize(codec: SqlTreeCodec, root: Node): Promise<string> {
  return codec.deserializeSql(stringify({ error: false, statements: [{ node: root, named_param_map: [] }] })!);
}

// ----------------------------------------------------------------------------------------------
// Nodes, in the shapes json_serialize_sql produces.

/** DuckDB's "no location" (UINT64_MAX): the predicates are not in the text the user wrote. */
const NO_LOCATION = new LosslessNumber('18446744073709551615');

const expr = (cls: string, type: string, fields: Node): Node => ({ class: cls, type, alias: '', query_location: NO_LOCATION, ...fields });

const columnRef = (name: string) => expr('COLUMN_REF', 'COLUMN_REF', { column_names: [name] });

function constant(l: Literal): Node {
  const typed = (id: string, value: unknown) => expr('CONSTANT', 'VALUE_CONSTANT', { value: { type: { id, type_info: null }, is_null: false, value } });
  if (l instanceof Timestamp) return typed('TIMESTAMP', new LosslessNumber(String(l.micros)));
  if (typeof l === 'string') return typed('VARCHAR', l);
  if (typeof l === 'boolean') return typed('BOOLEAN', l);
  return Number.isSafeInteger(l) ? typed('BIGINT', new LosslessNumber(String(l))) : typed('DOUBLE', l);
}

const conjunction = (children: Node[]) => expr('CONJUNCTION', 'CONJUNCTION_AND', { children });
const not = (child: Node) => expr('OPERATOR', 'OPERATOR_NOT', { children: [child] });
const compare = (type: string, left: Node, right: Node) => expr('COMPARISON', type, { left, right });

function predicateNode(column: string, p: Predicate): Node {
  const col = columnRef(column);
  switch (p.op) {
    case 'eq':
      return compare('COMPARE_EQUAL', col, constant(p.value));
    case 'ne':
      return compare('COMPARE_NOTEQUAL', col, constant(p.value));
    case 'in':
    case 'not_in':
      return expr('OPERATOR', p.op === 'in' ? 'COMPARE_IN' : 'COMPARE_NOT_IN', { children: [col, ...p.values.map(constant)] });
    case 'is_null':
      return expr('OPERATOR', 'OPERATOR_IS_NULL', { children: [col] });
    case 'is_not_null':
      return expr('OPERATOR', 'OPERATOR_IS_NOT_NULL', { children: [col] });
    case 'between': {
      const node = expr('BETWEEN', 'COMPARE_BETWEEN', { input: col, lower: constant(p.lo), upper: constant(p.hi) });
      return p.negate ? not(node) : node;
    }
    case 'range': {
      const parts: Node[] = [];
      if (p.from !== null) parts.push(compare('COMPARE_GREATERTHANOREQUALTO', col, constant(p.from)));
      if (p.to !== null) parts.push(compare('COMPARE_LESSTHANOREQUALTO', columnRef(column), constant(p.to)));
      const node = parts.length === 1 ? parts[0] : conjunction(parts);
      return p.negate ? not(node) : node;
    }
    case 'like':
      // `f LIKE pattern ESCAPE '\'` is the function like_escape in DuckDB's tree.
      return expr('FUNCTION', 'FUNCTION', {
        function_name: 'like_escape',
        schema: '',
        children: [col, constant(p.pattern), constant('\\')],
        filter: null,
        order_bys: { type: 'ORDER_MODIFIER', orders: [] },
        distinct: false,
        is_operator: false,
        export_state: false,
        catalog: '',
      });
  }
}
