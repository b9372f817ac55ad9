/**
 * The one error type of the PromQL layer. `errorType` is Prometheus's API `errorType` field
 * (`bad_data` for parse/parameter errors, `execution` for evaluation failures…), so the HTTP layer
 * can render `{"status":"error","errorType":…,"error":…}` without guessing from the message.
 */
export type PromqlErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'not_found' | 'internal';

export class PromqlError extends Error {
  constructor(
    readonly errorType: PromqlErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PromqlError';
  }
}

/**
 * A problem inside one literal (number, duration, string, regex), without a position; the parser
 * turns it into a positioned `PromqlError`, the engine (label_replace regexes) into its own.
 */
export class LiteralError extends Error {}
