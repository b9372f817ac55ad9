/**
 * Presigned render links: AWS query-string SigV4 (X-Amz-Algorithm, -Credential, -Date, -Expires,
 * -SignedHeaders=host, -Signature) accepted for `GET /visualizations/{id}/render.svg` and
 * `GET /dashboards/{id}/render.html` only, so a chart can be embedded where no header can be sent
 * (`<img src>`, an iframe, an e-mail). The whole query — width, filters, time_range — is signed,
 * X-Amz-Expires (1 s … 7 days) is required, and every failure is a 403 in the protocol's error
 * shape: a leaked link shows one rendering until it expires, never the rest of the API.
 */
import { decodeQueryPairs } from '../auth/canonical.js';
import { verifyPresignedUrl } from '../auth/presign.js';
import { splitUrl, type KeyLookup } from '../auth/sigv4.js';
import { ApiError } from '../errors.js';
import type { Principal } from '../policy/principal.js';
import type { AppRouter } from './context.js';
import { PRESIGNABLE_ROUTES } from './routes/render.js';

const PRESIGN_PARAM = /(?:^|&)X-Amz-(?:Algorithm|Credential|Signature)=/i;

const forbidden = (reason: string) => new ApiError(403, 'security_exception', reason);

/** True when the request target carries presigned-URL parameters in its query string. */
export function isPresignedQuery(url: string): boolean {
  return PRESIGN_PARAM.test(splitUrl(url).query);
}

export interface PresignedRequest {
  method: string;
  /** Request target as received: raw path plus `?query`. */
  url: string;
  host: string;
}

/**
 * Authenticate a presigned request (no Authorization header): the route must be one of the render
 * routes with GET, the URL must verify with X-Amz-Expires. Returns the signer's principal; the
 * usual per-user permissions then apply to the rendering.
 */
export function authenticatePresigned(router: AppRouter, keys: KeyLookup, req: PresignedRequest, now: number): Principal {
  const { path, query } = splitUrl(req.url);
  const m = router.match(req.method, path);
  if (req.method !== 'GET' || m.kind !== 'found' || !PRESIGNABLE_ROUTES.has(m.route.pattern)) {
    throw forbidden(
      'Presigned URLs are accepted only for GET /visualizations/{id}/render.svg and GET /dashboards/{id}/render.html; ' +
        'sign other requests with an Authorization header (AWS SigV4, region us-east-1, service es)',
    );
  }
  // The verifier and the handler must read the same query: the signature check decodes `+` as a
  // plus, URLSearchParams as a space; and pairs are signed sorted, so with a repeated key the one
  // the handler reads could be swapped. Both are refused rather than left ambiguous.
  if (query.includes('+')) throw forbidden("Presigned URLs must percent-encode '+' (%2B) and spaces (%20) in the query string");
  const pairs = decodeQueryPairs(query);
  if (!pairs) throw forbidden('Malformed query string');
  const keysSeen = new Set<string>();
  for (const [key] of pairs) {
    if (keysSeen.has(key)) throw forbidden(`Presigned URLs may not repeat a query parameter [${key}]`);
    keysSeen.add(key);
  }
  try {
    return verifyPresignedUrl(req.url, req.host, keys, { now, requireExpires: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      throw forbidden(e.reason === 'Invalid signature' ? 'Invalid signature: the presigned URL was altered or signed with another key' : e.reason);
    }
    throw e;
  }
}
