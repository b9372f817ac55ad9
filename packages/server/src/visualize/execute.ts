/**
 * `POST /visualizations/{id}/data` (§3.4): a saved SQL visualization runs on our engine as the
 * caller, through the SQL service (same statement rules, same dataset permissions), and comes back
 * as `{columns, rows, metadata}` ready to plot.
 *
 *   body → filters + time range merged with the saved ones (filters.ts)
 *   raw_query, or the Builder's statement for the chart (sql/builder.ts)
 *   → predicates and row cap put into the parsed statement (inject.ts) → SQL service
 *   → columns normalised, rows keyed by column, binding and warnings
 */
import type { ExecuteVisualizationResponse, VisualizationAttributes, VisualizationObject, VizWarning } from '@infino/sdk';
import { ApiError } from '../errors.js';
import type { Principal } from '../policy/principal.js';
import type { SqlReadResult, SqlService } from '../sql/service.js';
import { bindingFor } from './binding.js';
import { normalizeColumnType } from './columns.js';
import { invalid } from './fields.js';
import { type PlannedFilter, type SkippedFilter, parseExecuteBody, planFilters } from './filters.js';
import { type PreparedStatement, type RowCap, type SqlTreeCodec, parseStatement, prepareStatement } from './inject.js';
import type { SavedObjectService } from './service.js';
import { type BuilderAliases, buildBuilderQuery, isRawMode, rawModeWarnings, resultWarnings } from './sql/builder.js';
import { dialectFor } from './sql/dialects/index.js';

/** What one run of the statement produced, with the filters that made it in. */
interface Run {
  prepared: PreparedStatement;
  result: SqlReadResult;
  skipped: SkippedFilter[];
}

export class VisualizationExecutor {
  /** Recently prepared statements (see PREPARED_CACHE_SIZE). */
  private readonly prepared = new Map<string, PreparedStatement>();

  constructor(
    private readonly objects: SavedObjectService,
    private readonly sql: SqlService,
    private readonly codec: SqlTreeCodec,
  ) {}

  async execute(p: Principal, vizId: string, body: unknown): Promise<ExecuteVisualizationResponse> {
    return (await this.executeSaved(p, vizId, body)).data;
  }

  /** Loads and runs a saved visualization; the renderers need its definition beside the data. */
  async executeSaved(p: Principal, vizId: string, body: unknown): Promise<{ viz: VisualizationObject; data: ExecuteVisualizationResponse }> {
    // The body is checked before the lookup: a malformed request is a 400 whatever the id.
    parseExecuteBody(body);
    const { object, warnings } = await this.objects.visualizationForExecute(p, vizId);
    return { viz: object, data: await this.executeAttributes(p, object.attributes, body, warnings) };
  }

  /**
   * Runs a visualization's attributes. `migrationWarnings` are those the stored object's legacy
   * fields raised when it was read.
   */
  private async executeAttributes(p: Principal, attrs: VisualizationAttributes, body: unknown, migrationWarnings: VizWarning[]): Promise<ExecuteVisualizationResponse> {
    const started = performance.now();
    const request = parseExecuteBody(body);
    const source = attrs.source;
    if (source.kind !== 'sql') {
      throw invalid(`\`source.kind\` '${source.kind}' does not execute: only SQL visualizations (\`source.kind: "sql"\`) run on /visualizations/{id}/data`);
    }
    if (source.connection_id) {
      throw invalid(
        `this visualization reads the external connection '${source.connection_id}': external connections execute through connectors in a later release; until then only datasets of this server (no \`source.connection_id\`) execute`,
      );
    }
    const raw = isRawMode(attrs) ? source.sql.raw_query! : null;
    const warnings: VizWarning[] = [];
    let text: string;
    let builderAliases: BuilderAliases | undefined;
    if (raw !== null) {
      // A raw query is written for its engine; the connector id only matters for the warning.
      if (source.connector_id !== 'oracle_db') warnings.push(...dialectFor(source.connector_id).warnings);
      warnings.push(...migrationWarnings, ...rawModeWarnings(attrs));
      text = raw;
    } else {
      const { dialect, warnings: dialectWarnings } = dialectFor(source.connector_id);
      const built = buildBuilderQuery(attrs, dialect);
      warnings.push(...dialectWarnings, ...migrationWarnings, ...built.warnings);
      text = built.sql;
      builderAliases = built.aliases;
    }

    const plan = planFilters({ saved: attrs.filters ?? [], savedTimeRange: attrs.time_range ?? null, request, timeColumn: source.sql.time_column });
    const cap: RowCap = { limit: source.sql.limit, offset: source.sql.offset, mode: raw !== null ? 'raw' : 'builder' };
    const run = await this.runFiltered(p, text, plan.filters, cap);

    const { prepared, result } = run;
    const kept = prepared.cap !== null && result.rows.length > prepared.cap ? result.rows.slice(0, prepared.cap) : result.rows;
    const truncated = result.truncated || kept.length < result.rows.length;
    const columns = result.columns.map((c, i) => ({ name: c.name, type: normalizeColumnType(c.type, kept.map((r) => r[i])) }));
    const rows = kept.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i]])));
    warnings.push(...resultWarnings(attrs, rows.length));
    return {
      columns,
      rows,
      metadata: {
        source_kind: 'sql',
        row_count: rows.length,
        truncated,
        took_ms: Math.round(performance.now() - started),
        executed_query: prepared.display,
        filters_applied: prepared.applied,
        filters_skipped: [...plan.skipped, ...run.skipped],
        warnings,
        binding: bindingFor(attrs, { builderAliases, columns }),
      },
    };
  }

  /**
   * Runs the statement with the filters injected. A filter the statement cannot take (a column it
   * does not have, a value of the wrong type) fails the run with the engine's message: that filter
   * — or, when the message names none, every filter — is set aside as skipped and the statement runs
   * again without it. Errors of the statement itself come out of the last, unfiltered run.
   */
  private async runFiltered(p: Principal, text: string, filters: PlannedFilter[], cap: RowCap): Promise<Run> {
    const skipped: SkippedFilter[] = [];
    let remaining = filters;
    for (;;) {
      const prepared = await this.prepare(text, remaining, cap);
      skipped.push(...prepared.skipped);
      try {
        const result = (await this.sql.execute(p, { query: prepared.run }, 'GET')) as SqlReadResult;
        return { prepared, result, skipped };
      } catch (e) {
        if (prepared.applied.length === 0 || !filterMayHaveFailed(e)) throw e;
        const named = remaining.filter((f) => e.reason.includes(`"${f.column}"`));
        const blamed = named.length > 0 ? named : remaining;
        // DuckDB's first line says what failed; the rest lists candidate columns.
        const why = e.reason.split('\n')[0];
        for (const f of blamed) skipped.push({ field: f.field, reason: `the query cannot take this filter: ${why}` });
        remaining = remaining.filter((f) => !blamed.includes(f));
      }
    }
  }

  private async prepare(text: string, filters: PlannedFilter[], cap: RowCap): Promise<PreparedStatement> {
    const key = JSON.stringify([text, filters, cap]);
    const hit = this.prepared.get(key);
    if (hit) {
      this.prepared.delete(key);
      this.prepared.set(key, hit);
      return hit;
    }
    const made = await prepareStatement(this.codec, await parseStatement(this.codec, text), filters, cap);
    if (text.length <= PREPARED_CACHE_MAX_TEXT) {
      this.prepared.set(key, made);
      if (this.prepared.size > PREPARED_CACHE_SIZE) this.prepared.delete(this.prepared.keys().next().value!);
    }
    return made;
  }
}

/**
 * Preparing costs two or three DuckDB calls, each waiting for a free SQL connection behind the
 * queries running on it; dashboards send the same statements with the same filters again and
 * again, so recent results are kept (least recently used go first). They depend on the text,
 * the filters and the cap alone.
 */
const PREPARED_CACHE_SIZE = 256;
const PREPARED_CACHE_MAX_TEXT = 8_192;

/** Binder and conversion errors can come from an injected predicate; parse errors, policy refusals and timeouts cannot. */
const filterMayHaveFailed = (e: unknown): e is ApiError =>
  e instanceof ApiError && e.status === 400 && (e.type === 'verification_exception' || e.type === 'illegal_argument_exception');
