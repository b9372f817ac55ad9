/**
 * DuckDB's errors as API errors: users' mistakes are 400s carrying DuckDB's own message (and the
 * position, when DuckDB gives one), never 500s — the Python SDK retries 5xx, which would only run
 * a bad statement three times.
 */
import { ApiError } from '../errors.js';
import { SerializeError } from './ast.js';
import { LexError } from './tokens.js';

const TYPES: Array<[RegExp, string]> = [
  [/^Parser Error/i, 'parsing_exception'],
  [/^(Binder|Catalog) Error/i, 'verification_exception'],
  [/^Permission Error/i, 'statement_not_allowed_exception'],
  [/^Out of Memory Error/i, 'memory_limit_exception'],
  [/^(Conversion|Invalid Input|Out of Range|Constraint|Not implemented|Invalid type|Invalid Error|Type Error|Dependency) Error/i, 'illegal_argument_exception'],
];

/**
 * `relations` maps the internal relation names (`__ds_7`) back to the dataset names users wrote,
 * so a message never shows storage names.
 */
export function sqlError(e: unknown, relations: Map<string, string> = new Map()): unknown {
  if (e instanceof ApiError) return e;
  if (e instanceof LexError) return withPosition(new ApiError(400, 'parsing_exception', `Parser Error: ${e.message}`), e.position);
  if (e instanceof SerializeError) {
    const type = e.errorType === 'parser' ? 'parsing_exception' : 'illegal_argument_exception';
    return withPosition(new ApiError(400, type, `Parser Error: ${e.message}`), e.position);
  }
  if (!(e instanceof Error)) return e;
  const match = TYPES.find(([re]) => re.test(e.message));
  if (!match) return e;
  let message = e.message;
  for (const [relation, dataset] of relations) message = message.split(relation).join(dataset);
  return new ApiError(400, match[1], message);
}

function withPosition(error: ApiError, position: number | undefined): ApiError {
  if (position !== undefined && Number.isFinite(position)) error.extra = { ...error.extra, position };
  return error;
}
