/**
 * The one error type every layer throws for a client-visible failure. The HTTP layer renders it as
 * the protocol's error shape: {"error":{"type","reason"},"status"} (protocol §1.14).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ApiError';
  }

  toBody(): { error: { type: string; reason: string }; status: number } {
    return { error: { type: this.type, reason: this.reason }, status: this.status };
  }
}

export const badRequest = (reason: string, type = 'illegal_argument_exception') => new ApiError(400, type, reason);
export const indexNotFound = (dataset: string) =>
  new ApiError(404, 'index_not_found_exception', `no such index [${dataset}]`);
