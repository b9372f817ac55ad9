/**
 * SigV4 canonicalisation for the verifier (protocol §1.4–1.6). The encodings the SDK signs with
 * come from the SDK itself, so client and server can never drift apart; what lives here is only
 * what a tolerant verifier needs beyond them (decoding, AWS-standard variants, Node's SHA-256).
 */
import { createHash } from 'node:crypto';
import { assembleCanonicalRequest, uriEncode } from '@infino/sdk';

export { EMPTY_SHA256, normalizeQuery, uriEncode } from '@infino/sdk';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

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

export const canonicalRequest = (p: CanonicalRequestParts): string =>
  assembleCanonicalRequest({ method: p.method, canonicalUri: p.uri, canonicalQuery: p.query, canonicalHeaders: p.headers, payloadHash: p.payloadHash });

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}
