/**
 * `/sql`: one statement per request, read or write, over the datasets the caller may use.
 *
 *   text → tokens (back-quotes translated) → kind (everything but reads and writes refused)
 *   read:  DuckDB parses it (json_serialize_sql) → allow-lists → each table reference resolved
 *          through the policy → names rewritten to dataset relations → run with row and time limits
 *   write: clause shell (dml.ts) → one SELECT (writes.ts), checked and resolved as a read → run
 *          inside the writer's transaction → bulk document operations, all or nothing
 */
// The write response is the wire contract, typed once, in the SDK.
import type { SqlWriteResult } from '@infino/sdk';
import type { Engine, SqlLimits, SqlRows } from '../engine/types.js';
import { badRequest, indexNotFound } from '../errors.js';
import type { Policy } from '../policy/policy.js';
import type { Principal } from '../policy/principal.js';
import { parseSerialized, type StatementFacts, statementFacts } from './ast.js';
import { parseWrite } from './dml.js';
import { sqlError } from './errors.js';
import { findDataset, resolveTables } from './resolve.js';
import { checkFacts, notAllowed, statementKind } from './rules.js';
import { applyEdits, leadingKeyword, nameChainEnd, nameParts, type Token, tokenize, translateBackquotes, withoutTrailingSemicolons } from './tokens.js';
import { planWrite } from './writes.js';

export interface SqlReadResult extends SqlRows {
  total: number;
  size: number;
  took: number;
}

interface PreparedRead {
  sql: string;
  datasets: string[];
}

/** Most rows one write statement may touch: its rows are held in memory as documents before writing. */
const MAX_WRITE_ROWS = 1_000_000;

/** Statements whose parse is remembered (least recently used go first). */
const FACTS_CACHE_SIZE = 1000;
const FACTS_CACHE_MAX_TEXT = 8_192;

export class SqlService {
  private readonly factsCache = new Map<string, StatementFacts>();

  constructor(
    private readonly engine: Engine,
    private readonly policy: Policy,
    /** Server-wide limits; a request may ask for less, never for more. */
    private readonly limits: SqlLimits,
  ) {}

  async execute(p: Principal, body: unknown, method: 'GET' | 'POST'): Promise<SqlReadResult | SqlWriteResult> {
    const started = performance.now();
    const request = readBody(body, this.limits);
    const relations = new Map<string, string>();
    try {
      const lexed = tokenize(request.query);
      const trimmed = withoutTrailingSemicolons(request.query, lexed);
      const text = translateBackquotes(trimmed.sql, trimmed.tokens);
      const tokens = text === trimmed.sql ? trimmed.tokens : tokenize(text);
      if (tokens.some((t) => t.kind === 'op' && t.value === ';')) throw notAllowed('send one statement per request (this one holds several, separated by ;)');
      const kind = statementKind(leadingKeyword(tokens));
      if (kind === 'write') {
        if (method === 'GET') throw badRequest('GET /sql only reads: send INSERT, UPSERT, UPDATE and DELETE with POST /sql (the SDK: upsertToDataset)');
        return await this.write(p, text, tokens, relations, request.limits, started);
      }
      const read = kind === 'read' ? await this.prepareRead(p, text, tokens, relations) : await this.prepareMeta(p, kind, text, tokens, relations);
      if (read === 'tables') return this.tables(p, started);
      const r = await this.engine.querySql(read.sql, read.datasets, request.limits);
      return readResult(r.columns, r.rows, r.truncated, started);
    } catch (e) {
      throw sqlError(e, relations);
    }
  }

  /** Checks a SELECT against the rules and rewrites its dataset names; `relations` learns the mapping. */
  private async prepareRead(p: Principal, text: string, tokens: Token[], relations: Map<string, string>): Promise<PreparedRead> {
    const facts = await this.factsOf(text);
    const { edits, datasets } = resolveTables(text, tokens, facts.tables, facts.qualifiedColumns, {
      names: () => this.engine.listDatasets().map((d) => d.name),
      relationFor: (name) => this.relation(p, name, relations),
    });
    return { sql: applyEdits(text, edits), datasets };
  }

  /**
   * What DuckDB's parse says about a statement, checked against the rules. Parsing costs about
   * half a millisecond, so the facts of recent statements are kept: dashboards and applications
   * send the same text again and again. (Facts depend on the text alone; names and permissions
   * are resolved on every request.)
   */
  private async factsOf(text: string): Promise<StatementFacts> {
    const cached = this.factsCache.get(text);
    if (cached) {
      this.factsCache.delete(text);
      this.factsCache.set(text, cached);
      return cached;
    }
    const parsed = parseSerialized(await this.engine.serializeSql(text), text);
    if (parsed.statements.length !== 1) throw notAllowed('send exactly one statement per request');
    const facts = statementFacts(parsed.statements[0].node);
    checkFacts(facts);
    // Long statements (bulk VALUES lists) are rarely repeated: keeping them would only hold memory.
    if (text.length <= FACTS_CACHE_MAX_TEXT) this.factsCache.set(text, facts);
    if (this.factsCache.size > FACTS_CACHE_SIZE) this.factsCache.delete(this.factsCache.keys().next().value!);
    return facts;
  }

  private relation(p: Principal, name: string, relations: Map<string, string>): string {
    this.policy.authorize(p, 'read', name);
    const relation = this.engine.sqlRelation(name);
    relations.set(relation, name);
    return relation;
  }

  /** DESCRIBE <dataset> | DESCRIBE <query>, SHOW TABLES, SHOW <dataset>. */
  private async prepareMeta(p: Principal, kind: 'describe' | 'show', text: string, tokens: Token[], relations: Map<string, string>): Promise<PreparedRead | 'tables'> {
    const rest = tokens.slice(1);
    if (kind === 'show' && rest.length >= 1 && rest[rest.length - 1].kind === 'word' && rest[rest.length - 1].value === 'TABLES') {
      if (rest.length === 1 || (rest.length === 2 && rest[0].value === 'ALL')) return 'tables';
    }
    const first = rest[0];
    if (kind === 'describe' && first && ((first.kind === 'word' && ['SELECT', 'WITH', 'FROM', 'VALUES'].includes(first.value)) || (first.kind === 'op' && first.value === '('))) {
      const inner = text.slice(first.start);
      const read = await this.prepareRead(p, inner, tokenize(inner), relations);
      return { sql: `DESCRIBE ${read.sql}`, datasets: read.datasets };
    }
    const end = nameChainEnd(tokens, 1);
    if (end === 1 || end !== tokens.length) throw notAllowed(`expected ${kind === 'show' ? 'SHOW TABLES or SHOW <dataset>' : 'DESCRIBE <dataset> or DESCRIBE SELECT …'}`);
    const written = nameParts(text, tokens, 1, end).join('.');
    const dataset = findDataset(written, this.engine.listDatasets().map((d) => d.name));
    if (dataset === undefined) throw indexNotFound(written);
    return { sql: `DESCRIBE ${this.relation(p, dataset, relations)}`, datasets: [dataset] };
  }

  private tables(p: Principal, started: number): SqlReadResult {
    const rows = this.engine
      .listDatasets()
      .map((d) => d.name)
      .filter((name) => this.policy.allows(p, 'read', name))
      .sort()
      .map((name) => [name]);
    return readResult([{ name: 'name', type: 'keyword' }], rows, false, started);
  }

  private async write(p: Principal, text: string, tokens: Token[], relations: Map<string, string>, limits: SqlLimits, started: number): Promise<SqlWriteResult> {
    const plan = parseWrite(text, tokens);
    const name = findDataset(plan.target.name, this.engine.listDatasets().map((d) => d.name)) ?? plan.target.name;
    plan.target.name = name;
    this.policy.authorize(p, 'write', name);
    const exists = this.engine.hasDataset(name);
    if (!exists && plan.kind !== 'insert') throw indexNotFound(name);
    const step = planWrite(plan, exists);
    const read = await this.prepareRead(p, step.select, tokenize(step.select), relations);
    const writeLimits = { maxRows: MAX_WRITE_ROWS, timeoutMs: limits.timeoutMs };
    const results = await this.engine.writeSql(name, read.datasets, plan.kind === 'insert', writeLimits, async (query) => step.toOps(await query(read.sql)));
    const count = (...r: string[]) => results.filter((x) => x.result !== undefined && r.includes(x.result)).length;
    const created = count('created');
    const updated = count('updated', 'noop');
    const deleted = count('deleted');
    return { statement_type: plan.kind, affected_rows: created + updated + deleted, created, updated, deleted, took: Math.round(performance.now() - started) };
  }
}

/** The read response, keys in the documented order. */
const readResult = (columns: SqlRows['columns'], rows: unknown[][], truncated: boolean, started: number): SqlReadResult => ({
  columns,
  rows,
  total: rows.length,
  size: rows.length,
  truncated,
  took: Math.round(performance.now() - started),
});

interface ParsedBody {
  query: string;
  limits: SqlLimits;
}

function readBody(body: unknown, server: SqlLimits): ParsedBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the body must be a JSON object: {"query": "SELECT …"}', 'parsing_exception');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.query !== 'string' || b.query.trim() === '') throw badRequest('[query] is required: {"query": "SELECT …"}', 'parsing_exception');
  const limit = (key: string, max: number): number => {
    const v = b[key];
    if (v === undefined || v === null) return max;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw badRequest(`[${key}] must be a whole number ≥ 1`);
    return Math.min(v, max);
  };
  return { query: b.query, limits: { maxRows: limit('max_rows', server.maxRows), timeoutMs: limit('timeout_ms', server.timeoutMs) } };
}

