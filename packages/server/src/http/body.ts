/** Request-body decoding helpers: every body arrives as raw bytes (signatures cover the bytes). */
import { badRequest } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function bodyText(body: Buffer | undefined): string {
  if (!body || body.length === 0) return '';
  try {
    return utf8.decode(body);
  } catch {
    throw badRequest('Request body is not valid UTF-8', 'parse_exception');
  }
}

/** Parse a JSON body; malformed or missing JSON is the client's fault (400), never a 500. */
export function jsonBody(body: Buffer | undefined, required = true): unknown {
  const text = bodyText(body);
  if (text.trim() === '') {
    if (required) throw badRequest('request body is required', 'parse_exception');
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`Failed to parse request body as JSON: ${(e as Error).message}`, 'parse_exception');
  }
}
