/**
 * Async crypto primitives on WebCrypto (`globalThis.crypto.subtle`) so the SDK runs unchanged in Node ≥ 20,
 * browsers, Deno, Bun and workers. Kept apart from the pure string builders in `canonical.ts`.
 */
import { DEFAULT_REGION, DEFAULT_SERVICE, KEY_PREFIX, TERMINATOR, stringToSign } from './canonical.js';

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('@infino/sdk needs WebCrypto (globalThis.crypto.subtle); use Node >= 20 or a modern runtime');
  return s;
}

// WebCrypto's typings want an ArrayBuffer-backed view; copying also detaches us from caller-owned buffers.
function bytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
}

export function toHex(buf: ArrayBuffer | Uint8Array): string {
  const view = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let out = '';
  for (const b of view) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `data`. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return toHex(await subtle().digest('SHA-256', bytes(data)));
}

export async function hmacSha256(key: string | Uint8Array, data: string | Uint8Array): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', bytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, bytes(data)));
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"). */
export async function deriveSigningKey(
  secretKey: string,
  dateStamp: string,
  region: string = DEFAULT_REGION,
  service: string = DEFAULT_SERVICE,
): Promise<Uint8Array> {
  const kDate = await hmacSha256(KEY_PREFIX + secretKey, dateStamp.slice(0, 8));
  const kRegion = await hmacSha256(kDate, region);
  const kService = await hmacSha256(kRegion, service);
  return hmacSha256(kService, TERMINATOR);
}

/** Lower-case hex HMAC of the string to sign. */
export async function calculateSignature(signingKey: Uint8Array, toSign: string): Promise<string> {
  return toHex(await hmacSha256(signingKey, toSign));
}

export interface SignatureResult {
  canonicalRequestHash: string;
  stringToSign: string;
  signature: string;
}

/**
 * Imported signing keys by (secret, date, region, service). Deriving one costs four chained async
 * HMACs (each with its own importKey), ~1 ms per request in Node; the key changes once a day.
 */
const signingKeys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 32;

function signingCryptoKey(secretKey: string, dateStamp: string, region: string, service: string): Promise<CryptoKey> {
  const id = `${dateStamp}\u0000${region}\u0000${service}\u0000${secretKey}`;
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.clear();
    key = deriveSigningKey(secretKey, dateStamp, region, service).then((raw) =>
      subtle().importKey('raw', bytes(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    );
    key.catch(() => signingKeys.delete(id));
    signingKeys.set(id, key);
  }
  return key;
}

/** Hash a canonical request, build the string to sign and compute the signature in one go. */
export async function signCanonicalRequest(args: {
  canonicalRequest: string;
  amzDate: string;
  secretKey: string;
  region?: string;
  service?: string;
}): Promise<SignatureResult> {
  const region = args.region ?? DEFAULT_REGION;
  const service = args.service ?? DEFAULT_SERVICE;
  const canonicalRequestHash = await sha256Hex(args.canonicalRequest);
  const sts = stringToSign(args.amzDate, canonicalRequestHash, region, service);
  const key = await signingCryptoKey(args.secretKey, args.amzDate.slice(0, 8), region, service);
  const signature = toHex(await subtle().sign('HMAC', key, bytes(sts)));
  return { canonicalRequestHash, stringToSign: sts, signature };
}
