/**
 * Pure, synchronous string building for Infino's AWS-SigV4 dialect.
 *
 * Everything here is deterministic and free of I/O or crypto so the server can import the very same
 * functions to *verify* signatures (it hashes/HMACs with its own crypto). The default ("infino") mode
 * reproduces the Python SDK byte-for-byte (spec §1.3–1.6); the "standard" mode is the textbook AWS
 * canonicalisation (encoded + normalised path, decoded/re-encoded query sorted by key then value,
 * trimmed header values), used by curl/Postman and by the official AWS test suite.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_SERVICE = 'es';
export const TERMINATOR = 'aws4_request';
export const KEY_PREFIX = 'AWS4';
/** sha256("") — the payload hash of every body-less request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export type CanonicalMode = 'infino' | 'standard';

/** Header input accepted by the pure functions: a plain record or a list of pairs (duplicates allowed). */
export type HeaderInput =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>;

const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

function isUnreservedByte(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e // - . _ ~
  );
}

/**
 * Percent-encode with `safe` characters kept literally — Python's `urllib.parse.quote(s, safe)`.
 * Always keeps RFC 3986 unreserved characters; hex digits are upper-case; space becomes `%20`.
 */
export function pythonQuote(s: string, safe = '/'): string {
  const safeBytes = new Set<number>();
  for (const b of encoder.encode(safe)) safeBytes.add(b);
  let out = '';
  for (const b of encoder.encode(s)) {
    if (isUnreservedByte(b) || safeBytes.has(b)) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** Python `uri_encode`: UTF-8, keep `A–Z a–z 0–9 - _ . ~`, everything else `%XX` (upper-case). */
export function uriEncode(s: string): string {
  return pythonQuote(s, '');
}

function byKey(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function splitPairs(query: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const i = piece.indexOf('=');
    pairs.push(i < 0 ? [piece, ''] : [piece.slice(0, i), piece.slice(i + 1)]);
  }
  return pairs;
}

/**
 * Python `normalize_query`: split on `&`, skip empty pieces, split at the first `=`, `uriEncode` key and
 * value *without decoding first* (so `%20` becomes `%2520`), stable-sort by encoded key only.
 */
export function normalizeQuery(query: string | undefined | null): string {
  if (!query) return '';
  const pairs = splitPairs(query).map(([k, v]): [string, string] => [uriEncode(k), uriEncode(v)]);
  // Array.prototype.sort is stable (ES2019), matching Python's sorted() on the key only.
  pairs.sort(byKey);
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed escapes are kept verbatim rather than failing verification outright
  }
}

/** AWS-standard canonical query: decode, re-encode, sort by key then value. */
export function standardCanonicalQuery(query: string | undefined | null): string {
  if (!query) return '';
  const pairs = splitPairs(query).map(
    ([k, v]): [string, string] => [uriEncode(safeDecode(k)), uriEncode(safeDecode(v))],
  );
  pairs.sort((a, b) => byKey(a, b) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * AWS-standard canonical URI for non-S3 services: remove dot segments, collapse empty segments and
 * `uriEncode` each segment *as it appears on the wire* (i.e. the decoded path is encoded twice).
 */
export function standardCanonicalUri(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  let uri = '/' + out.map(uriEncode).join('/');
  if (out.length > 0 && path.endsWith('/')) uri += '/';
  return uri;
}

/** X-Amz-Date format `YYYYMMDDTHHMMSSZ` (UTC). */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** `YYYYMMDD/<region>/<service>/aws4_request`; accepts an X-Amz-Date or an 8-digit date stamp. */
export function credentialScope(
  dateOrAmzDate: string,
  region: string = DEFAULT_REGION,
  service: string = DEFAULT_SERVICE,
): string {
  return `${dateOrAmzDate.slice(0, 8)}/${region}/${service}/${TERMINATOR}`;
}

/** The parts of an absolute URL exactly as Python's `urlparse` sees them (no WHATWG normalisation). */
export interface ParsedUrl {
  scheme: string;
  /** Authority as written (may include userinfo and port). */
  netloc: string;
  /** Lower-cased host name; IPv6 literals keep their brackets. */
  hostname: string;
  port: number | undefined;
  /** Path verbatim, `''` when absent. */
  path: string;
  /** Query text after `?` verbatim (no `?`), `''` when absent. */
  query: string;
}

/**
 * Split a URL string without normalising it. WHATWG `URL` would resolve dot segments, re-encode and drop
 * default ports, but the canonical request must see the string the SDK built (spec §1.5).
 */
export function parseUrl(url: string): ParsedUrl {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!m) return { scheme: '', netloc: '', hostname: '', port: undefined, path: '', query: '' };
  const netloc = m[2];
  const hostPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  let hostname = hostPort;
  let portText = '';
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    hostname = hostPort.slice(0, end + 1);
    portText = hostPort.slice(end + 1).replace(/^:/, '');
  } else {
    const i = hostPort.indexOf(':');
    if (i >= 0) {
      hostname = hostPort.slice(0, i);
      portText = hostPort.slice(i + 1);
    }
  }
  const port = /^\d+$/.test(portText) ? Number(portText) : undefined;
  return {
    scheme: m[1].toLowerCase(),
    netloc,
    hostname: hostname.toLowerCase(),
    port,
    path: m[3],
    query: m[4] ?? '',
  };
}

/** Signed `Host` value: lower-case host name plus `:port` only for an explicit port other than 80/443. */
export function canonicalHost(url: string | ParsedUrl): string {
  const u = typeof url === 'string' ? parseUrl(url) : url;
  return u.port !== undefined && u.port !== 80 && u.port !== 443 ? `${u.hostname}:${u.port}` : u.hostname;
}

/** Already-canonical pieces; {@link assembleCanonicalRequest} only joins them. */
export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  /** `[lower-case name, final value]`, already sorted by name. */
  canonicalHeaders: ReadonlyArray<readonly [string, string]>;
  payloadHash: string;
}

/** `METHOD\nURI\nQUERY\n<name:value\n...>\n<signed;headers>\n<payload hash>` (spec §1.4). */
export function assembleCanonicalRequest(p: CanonicalRequestParts): string {
  const block = p.canonicalHeaders.map(([n, v]) => `${n}:${v}\n`).join('');
  const signed = p.canonicalHeaders.map(([n]) => n).join(';');
  return [p.method.toUpperCase(), p.canonicalUri, p.canonicalQuery, block, signed, p.payloadHash].join('\n');
}

export interface CanonicalRequestInput {
  method: string;
  /** Request path as sent/received, without the query (`''` means `/`). */
  path: string;
  /** Raw query text without the leading `?`. */
  query?: string;
  headers: HeaderInput;
  /** Lower-case names to sign; defaults to every header given. */
  signedHeaders?: readonly string[];
  /** Value of `X-Amz-Content-Sha256` (or the body hash / `UNSIGNED-PAYLOAD`). */
  payloadHash: string;
}

/** Collect headers as lower-case name → list of values, preserving the order given. */
export function headerMap(headers: HeaderInput): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  if (Symbol.iterator in headers) {
    for (const [n, v] of headers as Iterable<readonly [string, string]>) add(n, v);
  } else {
    for (const [n, v] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
      if (v === undefined) continue;
      if (typeof v === 'string') add(n, v);
      else for (const one of v) add(n, one);
    }
  }
  return map;
}

/** Sorted `SignedHeaders` list (`a;b;c`) for the given names. */
export function signedHeaderList(names: Iterable<string>): string {
  return [...new Set([...names].map((n) => n.toLowerCase()))].sort().join(';');
}

/**
 * Build the canonical request.
 * - `infino` (default): path verbatim, `normalizeQuery`, header values raw — what the Python SDK signs.
 * - `standard`: AWS-standard path/query canonicalisation, values trimmed with inner whitespace collapsed,
 *   duplicate headers joined with `,`.
 */
export function canonicalRequest(input: CanonicalRequestInput, mode: CanonicalMode = 'infino'): string {
  const map = headerMap(input.headers);
  const names = (input.signedHeaders ?? [...map.keys()]).map((n) => n.toLowerCase());
  const sorted = [...new Set(names)].sort();
  const canonicalHeaders = sorted.map((name): [string, string] => {
    const values = map.get(name) ?? [''];
    if (mode === 'standard') return [name, values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',')];
    return [name, values.join(',')];
  });
  return assembleCanonicalRequest({
    method: input.method,
    canonicalUri: mode === 'standard' ? standardCanonicalUri(input.path) : input.path || '/',
    canonicalQuery: mode === 'standard' ? standardCanonicalQuery(input.query) : normalizeQuery(input.query),
    canonicalHeaders,
    payloadHash: input.payloadHash,
  });
}

/** `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256(canonical request)>` (spec §1.8). */
export function stringToSign(
  amzDate: string,
  canonicalRequestHash: string,
  region: string = DEFAULT_REGION,
  service: string = DEFAULT_SERVICE,
): string {
  return `${ALGORITHM}\n${amzDate}\n${credentialScope(amzDate, region, service)}\n${canonicalRequestHash}`;
}

/** `AWS4-HMAC-SHA256 Credential=<AK>/<scope>, SignedHeaders=<list>, Signature=<sig>`. */
export function authorizationHeader(args: {
  accessKey: string;
  amzDate: string;
  signedHeaders: string | readonly string[];
  signature: string;
  region?: string;
  service?: string;
}): string {
  const list = typeof args.signedHeaders === 'string' ? args.signedHeaders : signedHeaderList(args.signedHeaders);
  const scope = credentialScope(args.amzDate, args.region, args.service);
  return `${ALGORITHM} Credential=${args.accessKey}/${scope}, SignedHeaders=${list}, Signature=${args.signature}`;
}

export interface ParsedAuthorization {
  accessKey: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

/** Lenient `Authorization` parser for verifiers (`,` with or without spaces, any part order). */
export function parseAuthorizationHeader(header: string): ParsedAuthorization | undefined {
  const h = header.trim();
  if (!h.startsWith(ALGORITHM + ' ')) return undefined;
  const fields: Record<string, string> = {};
  for (const part of h.slice(ALGORITHM.length).split(',')) {
    const i = part.indexOf('=');
    if (i > 0) fields[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  const cred = fields.Credential?.split('/');
  if (!cred || cred.length < 5 || !fields.SignedHeaders || !fields.Signature) return undefined;
  // The access key itself never contains '/', but be tolerant: the last four parts are the scope.
  const scope = cred.slice(-4);
  return {
    accessKey: cred.slice(0, -4).join('/'),
    date: scope[0],
    region: scope[1],
    service: scope[2],
    terminator: scope[3],
    signedHeaders: fields.SignedHeaders.split(';').map((s) => s.trim().toLowerCase()).filter(Boolean),
    signature: fields.Signature,
  };
}
