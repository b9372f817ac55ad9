/**
 * Test helpers: an independent SigV4 signer (so the verifier is not only checked against itself —
 * the §1.9 vectors pin it) and raw HTTP requests over node:http, which lets tests send bodies with
 * GET and control every header byte.
 */
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';

export const VEC = {
  ak: 'AKIDEXAMPLE',
  sk: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  amzDate: '20250115T103000Z',
  now: Date.UTC(2025, 0, 15, 10, 30, 0),
};

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest();

export function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface SignInput {
  method: string;
  /** What goes on the wire: path + optional query. */
  url: string;
  host: string;
  body?: string | Buffer;
  contentType?: string;
  accessKey: string;
  secretKey: string;
  now?: number;
  /** Override the canonical URI / query (to mimic a particular client's quirks). */
  canonicalUri?: string;
  canonicalQuery?: string;
  payloadHash?: string;
  omitContentSha?: boolean;
}

/** Build the headers a SigV4 client would send; SignedHeaders as the Python SDK chooses them. */
export function sign(i: SignInput): Record<string, string> {
  const amzDate = amzDateOf(i.now ?? Date.now());
  const date = amzDate.slice(0, 8);
  const body = i.body ?? '';
  const payloadHash = i.payloadHash ?? sha(body);
  const h: Record<string, string> = { host: i.host, 'x-amz-date': amzDate };
  if (!i.omitContentSha) h['x-amz-content-sha256'] = payloadHash;
  if (i.contentType !== undefined) h['content-type'] = i.contentType;
  const names = Object.keys(h).sort();
  const [path, query = ''] = i.url.split('?');
  const canonical = [
    i.method,
    i.canonicalUri ?? path,
    i.canonicalQuery ?? query,
    names.map((n) => `${n}:${h[n]}\n`).join(''),
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/us-east-1/es/aws4_request`;
  const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha(canonical)}`;
  const key = hmac(hmac(hmac(hmac('AWS4' + i.secretKey, date), 'us-east-1'), 'es'), 'aws4_request');
  const sig = createHmac('sha256', key).update(sts).digest('hex');
  return {
    ...h,
    authorization: `AWS4-HMAC-SHA256 Credential=${i.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${sig}`,
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One HTTP/1.1 request with exactly the given headers and body. */
export function rawRequest(
  port: number,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: url, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** A signed request: signs with the given credentials and sends it. */
export function signedRequest(
  port: number,
  creds: { accessKey: string; secretKey: string },
  method: string,
  url: string,
  opts: { body?: string | Buffer; contentType?: string | null; extra?: Record<string, string> } = {},
): Promise<RawResponse> {
  const host = `127.0.0.1:${port}`;
  const contentType = opts.contentType === null ? undefined : (opts.contentType ?? 'application/json');
  const headers = sign({ method, url, host, body: opts.body, contentType, ...creds });
  const len = opts.body === undefined ? 0 : Buffer.byteLength(opts.body);
  if (len > 0 || ['PUT', 'POST', 'PATCH'].includes(method)) headers['content-length'] = String(len);
  return rawRequest(port, method, url, { ...headers, ...opts.extra }, opts.body);
}
