/**
 * Server-side AWS SigV4 verifier (protocol §1.12). It is deliberately lenient about *how* the
 * client canonicalised the request (the Python SDK signs the raw path and usually an empty query;
 * curl/Postman sign the AWS-standard forms) but strict about the cryptography: every candidate
 * canonical request is signed with the stored secret and compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors.js';
import type { Principal } from '../policy/principal.js';
import {
  EMPTY_SHA256,
  awsCanonicalQuery,
  canonicalRequest,
  encodePathSegments,
  normalizeQuery,
  safeDecode,
  sha256Hex,
  stringToSign,
} from './canonical.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Retries reuse one signature for up to 3×180 s plus backoff (§1.13), so allow ±15 min. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** Routes whose bodies may go unsigned: the SDK's multipart upload signs `UNSIGNED-PAYLOAD`. */
const UNSIGNED_PAYLOAD_PATHS = new Set(['/import/file']);

/** What the key cache knows about an access key. */
export interface KeyEntry {
  secret: string;
  user: string;
  roles: string[];
}
export type KeyLookup = (accessKey: string) => KeyEntry | undefined;

export interface ParsedAuthorization {
  accessKey: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const HOW_TO_SIGN = 'sign requests with AWS Signature Version 4 (region us-east-1, service es)';

export const unauthorized = (reason = 'Invalid signature') => new ApiError(401, 'unauthorized', reason);

/**
 * Parse `AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request, SignedHeaders=a;b,
 * Signature=hex`. Separators may be `,`, `, ` or plain spaces (§1.12 rule 1).
 */
export function parseAuthorization(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  if (!trimmed.startsWith(ALGORITHM + ' ') && !trimmed.startsWith(ALGORITHM + ',')) {
    throw unauthorized(`Unsupported Authorization scheme: ${HOW_TO_SIGN}`);
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(/[,\s]+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw unauthorized('Malformed Authorization header: expected Credential, SignedHeaders and Signature');
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !scope[0]) {
    throw unauthorized('Malformed credential scope: expected <access key>/<yyyymmdd>/<region>/<service>/aws4_request');
  }
  return {
    accessKey: scope[0],
    scopeDate: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: signedHeaders.toLowerCase().split(';').filter((h) => h !== ''),
    signature: signature.toLowerCase(),
  };
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Validate `X-Amz-Date` format, its agreement with the scope date, and the clock skew. */
export function checkAmzDate(amzDate: string | undefined, scopeDate: string, now: number, expiresSec?: number): void {
  const m = amzDate ? AMZ_DATE.exec(amzDate) : null;
  if (!amzDate || !m) throw unauthorized('Missing or malformed X-Amz-Date (expected yyyymmddThhmmssZ)');
  if (amzDate.slice(0, 8) !== scopeDate) throw unauthorized('X-Amz-Date does not match the credential scope date');
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (Number.isNaN(t)) throw unauthorized('Malformed X-Amz-Date');
  if (expiresSec !== undefined && now > t + expiresSec * 1000) {
    throw unauthorized(`Presigned URL expired at ${new Date(t + expiresSec * 1000).toISOString()} (X-Amz-Date ${amzDate} + X-Amz-Expires ${expiresSec} s)`);
  }
  const tooOld = expiresSec === undefined && now - t > MAX_SKEW_MS;
  if (tooOld || t - now > MAX_SKEW_MS) {
    throw unauthorized('Signature expired: X-Amz-Date is outside the allowed time window (check the client clock)');
  }
}

// Key derivation is four HMACs; cache it per (secret, date, region, service) since one key signs
// every request of a day. Bounded so a flood of distinct scopes cannot grow memory.
const keyCache = new Map<string, Buffer>();
const KEY_CACHE_MAX = 1024;

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\0${date}\0${region}\0${service}`;
  let key = keyCache.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

/** Constant-time comparison of a hex signature against a computed digest. */
export function signatureMatches(givenHex: string, expected: Buffer): boolean {
  if (!/^[0-9a-f]{64}$/.test(givenHex)) return false;
  return timingSafeEqual(Buffer.from(givenHex, 'hex'), expected);
}

/**
 * Canonical URI candidates (§1.12 rule 3): raw as received, percent-decoded (what the Python SDK
 * signed when `requests` had to escape characters), AWS-standard single-encoded (curl, Postman
 * for S3-style) and double-encoded (AWS SDKs for non-S3 services such as `es`).
 */
export function uriCandidates(rawPath: string): string[] {
  const raw = rawPath === '' ? '/' : rawPath;
  const out = new Set<string>([raw]);
  const decoded = safeDecode(raw);
  if (decoded !== undefined) {
    out.add(decoded);
    const single = encodePathSegments(decoded);
    out.add(single);
    out.add(encodePathSegments(single));
  }
  return [...out];
}

/**
 * Canonical query candidates (§1.12 rule 4): SDK normalize_query, AWS-standard, empty (quirk Q1),
 * and the raw query as received (older curl `--aws-sigv4` signs it unsorted and unchanged).
 */
export function queryCandidates(rawQuery: string): string[] {
  const out = new Set<string>([normalizeQuery(rawQuery), rawQuery]);
  const aws = awsCanonicalQuery(rawQuery);
  if (aws !== undefined) out.add(aws);
  out.add('');
  return [...out];
}

export function splitUrl(url: string): { path: string; query: string } {
  const noFrag = url.split('#', 1)[0];
  const q = noFrag.indexOf('?');
  return q < 0 ? { path: noFrag, query: '' } : { path: noFrag.slice(0, q), query: noFrag.slice(q + 1) };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(',') : v).trim();
}

/** Result of the header-only first phase: enough to reject early, before the body is read. */
export interface PendingAuth {
  auth: ParsedAuthorization;
  amzDate: string;
  key: KeyEntry;
}

/**
 * Phase 1 (runs before the body is read): the Authorization header is well-formed, the date is
 * fresh and the access key exists. Throws ApiError 401 otherwise.
 */
export function checkAuthHeaders(headers: IncomingHttpHeaders, lookup: KeyLookup, now = Date.now()): PendingAuth {
  const header = headerValue(headers, 'authorization');
  if (!header) throw unauthorized(`Missing Authorization header: ${HOW_TO_SIGN}`);
  const auth = parseAuthorization(header);
  const amzDate = headerValue(headers, 'x-amz-date');
  checkAmzDate(amzDate, auth.scopeDate, now);
  if (!auth.signedHeaders.includes('host')) throw unauthorized('SignedHeaders must include host');
  if (!auth.signedHeaders.includes('x-amz-date')) throw unauthorized('SignedHeaders must include x-amz-date');
  const key = lookup(auth.accessKey);
  // Same message as a bad signature: do not tell a prober which access keys exist.
  if (!key) throw unauthorized();
  return { auth, amzDate: amzDate!, key };
}

export interface SignedRequest {
  method: string;
  /** Request target as received: raw path plus optional `?query`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
}

/** Phase 2 (after the body is read): recompute the signature over the candidates, check the body hash. */
export function verifySignature(p: PendingAuth, req: SignedRequest): Principal {
  const { auth, amzDate, key } = p;
  const body = req.body ?? Buffer.alloc(0);
  // The canonical request carries the header value exactly as sent (§1.12 rule 6).
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  const payloadHash = declared ?? (body.length ? sha256Hex(body) : EMPTY_SHA256);

  const signed: Array<[string, string]> = [];
  for (const name of [...auth.signedHeaders].sort()) {
    const v = headerValue(req.headers, name);
    if (v === undefined) throw unauthorized(`Signed header [${name}] is missing from the request`);
    signed.push([name, v]);
  }

  const scope = `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`;
  const kSigning = signingKey(key.secret, auth.scopeDate, auth.region, auth.service);
  const { path, query } = splitUrl(req.url);
  const method = req.method.toUpperCase();
  let ok = false;
  outer: for (const uri of uriCandidates(path)) {
    for (const q of queryCandidates(query)) {
      const canonical = canonicalRequest({ method, uri, query: q, headers: signed, payloadHash });
      if (signatureMatches(auth.signature, createHmac('sha256', kSigning).update(stringToSign(amzDate, scope, canonical)).digest())) {
        ok = true;
        break outer;
      }
    }
  }
  if (!ok) throw unauthorized();

  // The signature covers the declared hash; now make sure the body is the one that was hashed.
  if (payloadHash === UNSIGNED_PAYLOAD) {
    // An unsigned body could be swapped by anyone replaying the headers within the skew window,
    // so it is allowed only where the protocol needs it: multipart file upload (§1.10).
    if (!UNSIGNED_PAYLOAD_PATHS.has(path)) {
      throw new ApiError(
        400,
        'x_amz_content_sha256_mismatch',
        'UNSIGNED-PAYLOAD is accepted only for POST /import/file; sign the SHA-256 of the body in x-amz-content-sha256',
      );
    }
  } else {
    const hash = payloadHash.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) {
      throw new ApiError(400, 'x_amz_content_sha256_mismatch', `Unsupported x-amz-content-sha256 value [${payloadHash}]`);
    }
    if (declared !== undefined && hash !== sha256Hex(body)) {
      throw new ApiError(
        400,
        'x_amz_content_sha256_mismatch',
        'The x-amz-content-sha256 header does not match the SHA-256 of the request body',
      );
    }
  }
  return { user: key.user, roles: [...key.roles], accessKey: auth.accessKey };
}

/** Both phases at once (unit tests, non-streaming callers). */
export function verifyRequest(req: SignedRequest, lookup: KeyLookup, now = Date.now()): Principal {
  return verifySignature(checkAuthHeaders(req.headers, lookup, now), req);
}
