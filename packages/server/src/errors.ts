/**
 * The one error type every layer throws for a client-visible failure. The HTTP layer renders it as
 * the protocol's error shape: {"error":{"type","reason"},"status"} (protocol §1.14), with
 * Elasticsearch's `root_cause` list in front so ES clients print the cause in their messages.
 */
export class ApiError extends Error {
  /** More keys for the `error` object, e.g. a SQL error's `position`. */
  extra: Record<string, unknown> | undefined;

  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ApiError';
  }

  toBody(): { error: { root_cause: Array<{ type: string; reason: string }>; type: string; reason: string }; status: number } {
    const cause = { type: this.type, reason: this.reason };
    return { error: { root_cause: [cause], ...cause, ...this.extra }, status: this.status };
  }
}

/**
 * Elasticsearch reports errors raised while a shard runs the query (a bad field type, a
 * query_string syntax error, the result window) as `search_phase_execution_exception` "all shards
 * failed", with the shard's error as `root_cause` and `caused_by`. Clients (and Kibana) read both.
 */
export class SearchPhaseError extends ApiError {
  constructor(
    override readonly cause: ApiError,
    readonly index: string,
  ) {
    super(cause.status, 'search_phase_execution_exception', 'all shards failed');
  }

  override toBody() {
    // Lucene's parse message sits one level deeper in ES: "Failed to parse query [q]" caused by
    // "Cannot parse 'q': Encountered …".
    const split = /^(Failed to parse query \[[\s\S]*?\]): (Cannot parse [\s\S]*)$/.exec(this.cause.reason);
    const inner = split
      ? { type: this.cause.type, reason: split[1], caused_by: { type: 'parse_exception', reason: split[2] } }
      : { type: this.cause.type, reason: this.cause.reason };
    return {
      error: {
        root_cause: [inner],
        type: this.type,
        reason: this.reason,
        phase: 'query',
        grouped: true,
        failed_shards: [{ shard: 0, index: this.index, node: 'infino', reason: inner }],
        caused_by: inner,
      },
      status: this.status,
    };
  }
}

/** Errors of the request itself, which ES answers before any shard runs (never wrapped). */
const REQUEST_LEVEL = new Set(['parsing_exception', 'x_content_parse_exception', 'parse_exception', 'index_not_found_exception', 'action_request_validation_exception', 'security_exception']);

/** Request-parsing errors ES only detects on the shard: query_string syntax and the result window. */
const isShardLevelParseError = (e: ApiError) => e.type === 'query_shard_exception' || e.reason.startsWith('Result window is too large');

/**
 * Parses then runs a search, reporting shard-level failures as Elasticsearch does: everything the
 * engine raises, and the few parse errors ES finds only on the shard. Other parse errors stay as
 * they are (ES answers them before any shard runs).
 */
export async function asSearchPhase<R, T>(index: string, parse: () => R, run: (request: R) => Promise<T>): Promise<T> {
  const wrap = (e: unknown, always: boolean) =>
    e instanceof ApiError && e.status === 400 && !(e instanceof SearchPhaseError) && !REQUEST_LEVEL.has(e.type) && (always || isShardLevelParseError(e))
      ? new SearchPhaseError(e, index)
      : e;
  let request: R;
  try {
    request = parse();
  } catch (e) {
    throw wrap(e, false);
  }
  try {
    return await run(request);
  } catch (e) {
    throw wrap(e, true);
  }
}

export const badRequest = (reason: string, type = 'illegal_argument_exception') => new ApiError(400, type, reason);
export const indexNotFound = (dataset: string) =>
  new ApiError(404, 'index_not_found_exception', `no such index [${dataset}]`);
