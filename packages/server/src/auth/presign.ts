/**
 * Verification of presigned URLs: WebSocket upgrades (protocol §1.11, §1.12 rule 7; the SDK puts
 * the X-Amz-* parameters in the query string, signs only `host`, uses the empty-body hash and
 * sends no X-Amz-Expires) and the render routes' embeddable links (`requireExpires`, see
 * http/presigned.ts), which must say how long they live.
 */
import { createHmac } from 'node:crypto';
import type { Principal } from '../policy/principal.js';
import { EMPTY_SHA256, canonicalRequest, decodeQueryPairs, stringToSign, uriEncode } from './canonical.js';
import {
  ALGORITHM,
  UNSIGNED_PAYLOAD,
  checkAmzDate,
  signatureMatches,
  signingKey,
  splitUrl,
  unauthorized,
  uriCandidates,
  type KeyLookup,
} from './sigv4.js';

/** Longest validity a client may request with X-Amz-Expires (AWS's own limit: 7 days). */
const MAX_EXPIRES_SEC = 7 * 24 * 3600;

/** `host`, then the same host with its default port added or removed (clients differ here). */
function hostCandidates(hostHeader: string): string[] {
  const out = new Set<string>();
  for (const host of new Set([hostHeader.trim(), hostHeader.trim().toLowerCase()])) {
    out.add(host);
    const m = /^(.*):(80|443)$/.exec(host);
    if (m) out.add(m[1]);
    else if (!/:\d+$/.test(host) || host.endsWith(']')) {
      out.add(`${host}:80`);
      out.add(`${host}:443`);
    }
  }
  return [...out];
}

export interface PresignOptions {
  now?: number;
  /** Values of signed headers other than `host` (third-party clients may sign more). */
  headers?: Record<string, string | string[] | undefined>;
  /**
   * Refuse URLs without X-Amz-Expires (links meant to leave the client: they must expire). Without
   * it, a URL lacking X-Amz-Expires is valid within the usual ±15 min clock skew.
   */
  requireExpires?: boolean;
}

/**
 * Verify `url` (path + query as received in the upgrade request; a full ws:// URL also works)
 * against the Host header. Returns the principal or throws ApiError 401.
 */
export function verifyPresignedUrl(url: string, hostHeader: string, keyLookup: KeyLookup, opts: PresignOptions = {}): Principal {
  const now = opts.now ?? Date.now();
  const target = url.replace(/^[a-z]+:\/\/[^/?#]*/i, '');
  const { path, query } = splitUrl(target);
  const pairs = decodeQueryPairs(query);
  if (!pairs) throw unauthorized('Malformed query string');
  const params = new Map(pairs);
  const signature = params.get('X-Amz-Signature')?.toLowerCase();
  const credential = params.get('X-Amz-Credential');
  if (params.get('X-Amz-Algorithm') !== ALGORITHM || !signature || !credential) {
    throw unauthorized('Missing presigned parameters: sign the URL with AWS Signature Version 4 (region us-east-1, service es)');
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') throw unauthorized('Malformed X-Amz-Credential');
  const [accessKey, scopeDate, region, service] = scope;
  const amzDate = params.get('X-Amz-Date');
  const expiresRaw = params.get('X-Amz-Expires');
  let expires: number | undefined;
  if (expiresRaw !== undefined) {
    expires = /^\d+$/.test(expiresRaw) ? Number(expiresRaw) : NaN;
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SEC) {
      throw unauthorized(`Invalid X-Amz-Expires [${expiresRaw}]: expected whole seconds from 1 to ${MAX_EXPIRES_SEC} (7 days)`);
    }
  } else if (opts.requireExpires) {
    throw unauthorized(`Missing X-Amz-Expires: a presigned URL must say how long it is valid (1 to ${MAX_EXPIRES_SEC} seconds)`);
  }
  checkAmzDate(amzDate, scopeDate, now, expires);
  const signedHeaders = (params.get('X-Amz-SignedHeaders') ?? 'host').toLowerCase().split(';').filter(Boolean).sort();
  if (!signedHeaders.includes('host')) throw unauthorized('X-Amz-SignedHeaders must include host');
  const key = keyLookup(accessKey);
  if (!key) throw unauthorized();

  // Canonical query: every parameter except the signature, uri-encoded, sorted by key then value.
  const canonicalQuery = pairs
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

  const others: Array<[string, string]> = [];
  for (const name of signedHeaders) {
    if (name === 'host') continue;
    const v = opts.headers?.[name];
    if (v === undefined) throw unauthorized(`Signed header [${name}] is missing from the request`);
    others.push([name, (Array.isArray(v) ? v.join(',') : v).trim()]);
  }

  const kSigning = signingKey(key.secret, scopeDate, region, service);
  const credScope = `${scopeDate}/${region}/${service}/aws4_request`;
  for (const host of hostCandidates(hostHeader)) {
    const headers = [...others, ['host', host] as [string, string]].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const uri of uriCandidates(path)) {
      for (const payloadHash of [EMPTY_SHA256, UNSIGNED_PAYLOAD]) {
        const canonical = canonicalRequest({ method: 'GET', uri, query: canonicalQuery, headers, payloadHash });
        const digest = createHmac('sha256', kSigning).update(stringToSign(amzDate!, credScope, canonical)).digest();
        if (signatureMatches(signature, digest)) return { user: key.user, roles: [...key.roles], accessKey };
      }
    }
  }
  throw unauthorized();
}
