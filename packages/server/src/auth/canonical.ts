/**
 * Pure SigV4 canonicalisation helpers (protocol §1.4–1.6). They mirror the SDK's own helpers; the
 * server keeps its own copy so it does not depend on the SDK's build output at runtime.
 */
import { createHash } from 'node:crypto';

/** SHA-256 of the empty string: the payload hash of body-less requests (§1.1). */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 encoding over UTF-8 bytes: unreserved chars kept, everything else `%XX` upper-case. */
export function uriEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * The SDK's `normalize_query`: encode key and value as received (no decoding first, so a `%`
 * becomes `%25`), stable-sort by encoded key only.
 */
export function normalizeQuery(q: string): string {
  const pairs: Array<[string, string]> = [];
  for (const piece of q.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const [k, v] = eq < 0 ? [piece, ''] : [piece.slice(0, eq), piece.slice(eq + 1)];
    pairs.push([uriEncode(k), uriEncode(v)]);
  }
  // Array.prototype.sort is stable, as Python's sorted() is.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Percent-decode; undefined when the text is not valid percent-encoded UTF-8. */
export function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Query pairs decoded (`+` kept literal, as AWS does), or undefined if any escape is malformed. */
export function decodeQueryPairs(q: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const piece of q.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const k = safeDecode(eq < 0 ? piece : piece.slice(0, eq));
    const v = safeDecode(eq < 0 ? '' : piece.slice(eq + 1));
    if (k === undefined || v === undefined) return undefined;
    pairs.push([k, v]);
  }
  return pairs;
}

/** The AWS-standard canonical query: decode, re-encode, sort by key then value. */
export function awsCanonicalQuery(q: string): string | undefined {
  const pairs = decodeQueryPairs(q);
  if (!pairs) return undefined;
  const enc = pairs.map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  enc.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return enc.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Encode each `/`-separated segment of an (already decoded) path. */
export const encodePathSegments = (path: string): string => path.split('/').map(uriEncode).join('/');

export interface CanonicalRequestParts {
  method: string;
  uri: string;
  query: string;
  /** Sorted lower-case names with their values, one `name:value` line each. */
  headers: Array<[string, string]>;
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalRequestParts): string {
  const headerBlock = p.headers.map(([k, v]) => `${k}:${v}\n`).join('');
  const signed = p.headers.map(([k]) => k).join(';');
  return `${p.method}\n${p.uri}\n${p.query}\n${headerBlock}\n${signed}\n${p.payloadHash}`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}
