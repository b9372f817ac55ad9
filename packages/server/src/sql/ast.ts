/**
 * Reads DuckDB's own parse of a SELECT (`json_serialize_sql`) and lists what it touches: the table
 * references (with CTE names in scope set aside), the table functions and the scalar functions.
 * Everything the safety rules and the name resolution decide comes from here, never from a scan
 * of the SQL text.
 */

export interface TableReference {
  /** Offset of the reference in the parsed text (DuckDB's `query_location`). */
  location: number;
  /** Catalog, schema and table as written, empty parts dropped: `logs.doc` → ['logs', 'doc']. */
  parts: string[];
  /** The alias as written; '' when there is none. */
  alias: string;
}

/** A column reference with at least three name parts (`logs.doc.level`): it may qualify by a dotted dataset name. */
export interface QualifiedColumn {
  location: number;
  parts: string[];
}

export interface StatementFacts {
  tables: TableReference[];
  qualifiedColumns: QualifiedColumn[];
  tableFunctions: string[];
  functions: string[];
  /** Table-reference kinds other than plain tables, joins, subqueries, VALUES and table functions. */
  otherRefs: string[];
}

export class SerializeError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly position: number | undefined,
  ) {
    super(message);
  }
}

/**
 * `JSON.parse` turns DuckDB's "no location" marker (UINT64_MAX) into 18446744073709552000; the
 * marker is rewritten to -1 first. The pattern cannot match inside a JSON string: a quote there
 * is always escaped.
 */
export function parseSerialized(json: string, text: string): { statements: Array<{ node: unknown }> } {
  // (Locations are UTF-8 byte offsets into `text`; byteToCharOffset turns them into string indexes.)
  const parsed = JSON.parse(json.replace(/"query_location":18446744073709551615/g, '"query_location":-1')) as {
    error: boolean;
    error_type?: string;
    error_message?: string;
    position?: string;
    statements?: Array<{ node: unknown }>;
  };
  if (parsed.error) {
    const position = parsed.position === undefined ? undefined : byteToCharOffset(text, Number(parsed.position));
    throw new SerializeError(parsed.error_message ?? 'cannot parse the statement', parsed.error_type ?? 'parser', position);
  }
  return { statements: parsed.statements ?? [] };
}

type Json = Record<string, unknown>;

const ALLOWED_REF_TYPES = new Set(['BASE_TABLE', 'JOIN', 'SUBQUERY', 'TABLE_FUNCTION', 'EXPRESSION_LIST', 'EMPTY', 'EMPTY_FROM', 'PIVOT']);

export function statementFacts(node: unknown): StatementFacts {
  const facts: StatementFacts = { tables: [], qualifiedColumns: [], tableFunctions: [], functions: [], otherRefs: [] };
  walk(node, [], facts);
  return facts;
}

function walk(value: unknown, ctes: Set<string>[], facts: StatementFacts): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, ctes, facts);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Json;
  let scope = ctes;
  // A query node's WITH names are visible in its body and in every CTE body (recursive CTEs see themselves).
  const cteMap = (obj.cte_map as { map?: Array<{ key: string }> } | undefined)?.map;
  if (cteMap && cteMap.length > 0) scope = [...ctes, new Set(cteMap.map((e) => e.key.toLowerCase()))];

  if (obj.type === 'BASE_TABLE' && typeof obj.table_name === 'string') {
    const parts = [obj.catalog_name, obj.schema_name, obj.table_name].filter((p): p is string => typeof p === 'string' && p !== '');
    const isCte = parts.length === 1 && scope.some((s) => s.has(parts[0].toLowerCase()));
    if (!isCte) facts.tables.push({ location: Number(obj.query_location), parts, alias: String(obj.alias ?? '') });
  } else if (obj.type === 'TABLE_FUNCTION') {
    const fn = obj.function as Json | undefined;
    facts.tableFunctions.push(String(fn?.function_name ?? '?').toLowerCase());
    // The call's arguments are walked below like any expression (they may hold subqueries).
  } else if (typeof obj.type === 'string' && isTableRef(obj) && !ALLOWED_REF_TYPES.has(obj.type)) {
    facts.otherRefs.push(obj.type);
  }
  if (obj.class === 'FUNCTION' && typeof obj.function_name === 'string') facts.functions.push(obj.function_name.toLowerCase());
  if (obj.class === 'COLUMN_REF' && Array.isArray(obj.column_names) && obj.column_names.length >= 3 && Number(obj.query_location) >= 0) {
    facts.qualifiedColumns.push({ location: Number(obj.query_location), parts: obj.column_names.map(String) });
  }
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'cte_map' && cteMap) {
      for (const e of cteMap as Array<{ key: string; value: unknown }>) walk(e.value, scope, facts);
    } else if (v !== null && typeof v === 'object') walk(v, scope, facts);
  }
}

/** Table references carry `sample` and a location; expressions have a `class`, query nodes `modifiers`. */
const isTableRef = (obj: Json) => 'sample' in obj && 'query_location' in obj && !('class' in obj) && !('modifiers' in obj);

/** DuckDB reports positions as UTF-8 byte offsets; JS strings index UTF-16 code units. */
export function byteToCharOffset(text: string, bytes: number): number {
  // eslint-disable-next-line no-control-regex -- the ASCII range, NUL included, is the point
  if (bytes < 0 || /^[\x00-\x7f]*$/.test(text)) return bytes;
  let seen = 0;
  let i = 0;
  while (i < text.length && seen < bytes) {
    const cp = text.codePointAt(i)!;
    seen += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}
