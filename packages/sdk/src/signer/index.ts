/**
 * Request signing exactly as the Python SDK does it (spec §1.2–1.11): header assembly, canonical
 * request, signature and the presigned WebSocket URL; plus AWS-standard presigned HTTP URLs (with
 * X-Amz-Expires) for the server's render routes.
 */
import { InfinoError } from '../core/errors.js';
import {
  ALGORITHM,
  EMPTY_SHA256,
  authorizationHeader,
  canonicalHost,
  canonicalRequest,
  credentialScope,
  formatAmzDate,
  parseUrl,
  uriEncode,
} from './canonical.js';
import { sha256Hex, signCanonicalRequest } from './crypto.js';

export * from './canonical.js';
export * from './crypto.js';

export interface SignRequestInput {
  method: string;
  /** Full URL string as it will be sent; its path and `?query` are signed verbatim. */
  url: string;
  /** Caller headers. `undefined` or `{}` ⇒ `Content-Type: application/json` is added (spec §1.2 rule 4). */
  headers?: Readonly<Record<string, string>>;
  body?: string | Uint8Array | null;
  accessKey: string;
  secretKey: string;
  /** Clock override (tests / replay). */
  now?: Date;
  /** Override the payload hash, e.g. `UNSIGNED-PAYLOAD` for streamed multipart bodies. */
  payloadHash?: string;
}

/**
 * Compute the headers to send: `X-Amz-Date`, `X-Amz-Content-Sha256`, the caller's headers (or the default
 * `Content-Type`), and — when both keys are non-empty — `Host` and `Authorization`.
 *
 * `content-type` is signed only if a header spelled exactly `Content-Type` is present, because Python looks
 * the value up by that exact key. `Host` is returned for completeness; `fetch` sets the same value itself.
 */
export async function signRequest(input: SignRequestInput): Promise<Record<string, string>> {
  const amzDate = formatAmzDate(input.now ?? new Date());
  const payloadHash = input.payloadHash ?? (input.body ? await sha256Hex(input.body) : EMPTY_SHA256);
  const headers: Record<string, string> = { 'X-Amz-Date': amzDate, 'X-Amz-Content-Sha256': payloadHash };
  if (input.headers && Object.keys(input.headers).length > 0) Object.assign(headers, input.headers);
  else headers['Content-Type'] = 'application/json';

  if (!input.accessKey || !input.secretKey) return headers; // unsigned, like Python (server answers 401)

  const url = parseUrl(input.url);
  if (!url.hostname) throw new InfinoError('invalid_request', 'Missing host');
  headers['Host'] = canonicalHost(url);

  const values: Record<string, string> = {
    host: headers['Host'],
    'x-amz-content-sha256': headers['X-Amz-Content-Sha256'],
    'x-amz-date': headers['X-Amz-Date'],
  };
  if ('Content-Type' in headers) values['content-type'] = headers['Content-Type'];
  const signedHeaders = Object.keys(values).sort();

  const creq = canonicalRequest({
    method: input.method,
    path: url.path,
    query: url.query,
    headers: values,
    signedHeaders,
    payloadHash: headers['X-Amz-Content-Sha256'],
  });
  const { signature } = await signCanonicalRequest({ canonicalRequest: creq, amzDate, secretKey: input.secretKey });
  headers['Authorization'] = authorizationHeader({ accessKey: input.accessKey, amzDate, signedHeaders, signature });
  return headers;
}

/**
 * Presigned WebSocket URL (spec §1.11): `ws`/`wss` from the endpoint scheme, host = endpoint authority
 * *including* any explicit port, endpoint path prefix dropped, only `host` signed, empty-body hash, no
 * `X-Amz-Expires`, signature appended last.
 */
export async function presignWebSocketUrl(
  endpoint: string,
  path: string,
  accessKey: string,
  secretKey: string,
  now?: Date,
): Promise<string> {
  const u = parseUrl(endpoint);
  const scheme = u.scheme === 'https' ? 'wss' : 'ws';
  const host = u.netloc;
  const amzDate = formatAmzDate(now ?? new Date());
  const params: Array<[string, string]> = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${accessKey}/${credentialScope(amzDate)}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const qs = params.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&');
  const creq = `GET\n${path}\n${qs}\nhost:${host}\n\nhost\n${EMPTY_SHA256}`;
  const { signature } = await signCanonicalRequest({ canonicalRequest: creq, amzDate, secretKey });
  return `${scheme}://${host}${path}?${qs}&X-Amz-Signature=${signature}`;
}

/** Longest validity of a presigned URL (AWS's limit, enforced by the server): 7 days. */
export const MAX_PRESIGN_EXPIRES_SEC = 7 * 24 * 3600;

export interface PresignUrlInput {
  /** Absolute `http(s)` URL; its query parameters are kept, and signed. */
  url: string;
  accessKey: string;
  secretKey: string;
  /** Validity in whole seconds, 1 … 604800 (7 days). */
  expiresIn: number;
  /** Default `GET`. */
  method?: string;
  /** Signing time (default now); the URL is valid until `now + expiresIn`. */
  now?: Date;
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new InfinoError('invalid_request', `Malformed percent-encoding in the query string [${s}]`);
  }
}

/**
 * AWS-standard presigned URL (query-string SigV4): X-Amz-Algorithm, -Credential, -Date, -Expires and
 * -SignedHeaders=host are added to the URL's own query parameters, all of them are written in canonical
 * form (RFC 3986 encoded, sorted by key then value) and signed with the path, `host` and the empty-body
 * hash; X-Amz-Signature comes last. Anyone holding the URL can make that one request until it expires,
 * without credentials, and can change nothing in it. Infino accepts these only for the render routes.
 */
export async function presignUrl(input: PresignUrlInput): Promise<string> {
  const { expiresIn } = input;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRES_SEC) {
    throw new InfinoError('invalid_request', `expiresIn must be whole seconds from 1 to ${MAX_PRESIGN_EXPIRES_SEC} (7 days), got ${expiresIn}`);
  }
  if (!input.accessKey || !input.secretKey) throw new InfinoError('invalid_request', 'Presigning needs an access key and a secret key');
  const u = parseUrl(input.url);
  if (!u.hostname || (u.scheme !== 'http' && u.scheme !== 'https')) {
    throw new InfinoError('invalid_request', `Presigning needs an absolute http(s) URL, got [${input.url}]`);
  }
  const amzDate = formatAmzDate(input.now ?? new Date());
  const pairs: Array<[string, string]> = [];
  for (const piece of u.query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decodeComponent(eq < 0 ? piece : piece.slice(0, eq));
    if (/^x-amz-/i.test(key)) throw new InfinoError('invalid_request', `The URL to presign already has a [${key}] parameter`);
    pairs.push([key, decodeComponent(eq < 0 ? '' : piece.slice(eq + 1))]);
  }
  pairs.push(
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${input.accessKey}/${credentialScope(amzDate)}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresIn)],
    ['X-Amz-SignedHeaders', 'host'],
  );
  const qs = pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const path = u.path || '/';
  const method = (input.method ?? 'GET').toUpperCase();
  const creq = `${method}\n${path}\n${qs}\nhost:${canonicalHost(u)}\n\nhost\n${EMPTY_SHA256}`;
  const { signature } = await signCanonicalRequest({ canonicalRequest: creq, amzDate, secretKey: input.secretKey });
  return `${u.scheme}://${u.netloc}${path}?${qs}&X-Amz-Signature=${signature}`;
}
