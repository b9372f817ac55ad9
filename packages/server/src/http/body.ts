/** Request-body decoding helpers: every body arrives as raw bytes (signatures cover the bytes). */
import { isAscii, isUtf8 } from 'node:buffer';
import { gunzipSync, inflateSync } from 'node:zlib';
import snappy from 'snappy';
import { ApiError, badRequest } from '../errors.js';

/**
 * The body as text; invalid UTF-8 is the client's error. Bodies run to megabytes (metrics ingest),
 * so the checks are Node's SIMD ones, and ASCII (the usual case) is copied as one-byte text.
 */
export function bodyText(body: Buffer | undefined): string {
  if (!body || body.length === 0) return '';
  if (isAscii(body)) return body.toString('latin1');
  if (!isUtf8(body)) throw badRequest('Request body is not valid UTF-8', 'parse_exception');
  // A byte-order mark is not text (TextDecoder drops it too).
  return body.toString('utf8', body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0);
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

/**
 * Undo a `Content-Encoding` (Elasticsearch accepts gzip/deflate request bodies, and its clients
 * and bulk loaders use them). The decoded size is capped at the body limit, as the raw size is.
 */
export function decodeContentEncoding(body: Buffer, encoding: string | undefined, limit: number): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return body;
  if (enc === 'snappy') return unsnappy(body, limit);
  const inflate = enc === 'gzip' || enc === 'x-gzip' ? gunzipSync : enc === 'deflate' ? inflateSync : undefined;
  if (!inflate) throw new ApiError(415, 'media_type_header_exception', `Unsupported Content-Encoding [${encoding}]: use gzip, deflate, snappy or none`);
  try {
    return inflate(body, { maxOutputLength: limit });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ApiError(413, 'content_too_long_exception', `Decompressed request body is larger than the limit of ${limit} bytes`);
    }
    throw badRequest(`Request body is not valid ${enc} data: ${(e as Error).message}`, 'parse_exception');
  }
}

/**
 * Snappy block format (Prometheus remote write). The block starts with the uncompressed length
 * as a varint, so an oversized body is refused before anything is allocated.
 */
function unsnappy(body: Buffer, limit: number): Buffer {
  let size = 0;
  for (let i = 0, shift = 0; i < Math.min(body.length, 5); i++, shift += 7) {
    size += (body[i] & 0x7f) * 2 ** shift;
    if ((body[i] & 0x80) === 0) break;
  }
  if (size > limit) throw new ApiError(413, 'content_too_long_exception', `Decompressed request body is larger than the limit of ${limit} bytes`);
  try {
    return snappy.uncompressSync(body) as Buffer;
  } catch (e) {
    throw badRequest(`Request body is not valid snappy data: ${(e as Error).message}`, 'parse_exception');
  }
}
