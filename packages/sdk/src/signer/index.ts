/**
 * Request signing exactly as the Python SDK does it (spec §1.2–1.11): header assembly, canonical
 * request, signature and the presigned WebSocket URL.
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
