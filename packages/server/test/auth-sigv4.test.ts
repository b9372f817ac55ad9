import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { normalizeQuery, uriEncode } from '../src/auth/canonical.js';
import { verifyPresignedUrl } from '../src/auth/presign.js';
import { parseAuthorization, signingKey, verifyRequest, type KeyLookup } from '../src/auth/sigv4.js';
import { VEC, sign } from './http-helpers.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const lookup: KeyLookup = (ak) => (ak === VEC.ak ? { secret: VEC.sk, user: 'admin', roles: ['admin'] } : undefined);
const authz = (sig: string, signed = 'content-type;host;x-amz-content-sha256;x-amz-date') =>
  `AWS4-HMAC-SHA256 Credential=${VEC.ak}/20250115/us-east-1/es/aws4_request, SignedHeaders=${signed}, Signature=${sig}`;

/** Headers exactly as the Python SDK sends them for a §1.9 vector. */
function vectorHeaders(sig: string, body: string, contentType: string | undefined, host = 'localhost:8000', hash?: string) {
  const h: Record<string, string> = {
    host,
    'x-amz-date': VEC.amzDate,
    'x-amz-content-sha256': hash ?? sha(body),
    authorization: authz(sig, contentType ? 'content-type;host;x-amz-content-sha256;x-amz-date' : 'host;x-amz-content-sha256;x-amz-date'),
  };
  if (contentType) h['content-type'] = contentType;
  return h;
}

function expectStatus(fn: () => unknown, status: number, type?: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(status);
    if (type) expect((e as ApiError).type).toBe(type);
    return e as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('canonicalisation helpers', () => {
  it('uriEncode and normalizeQuery follow the SDK', () => {
    expect(uriEncode('a b/ü~')).toBe('a%20b%2F%C3%BC~');
    expect(normalizeQuery('b=2&&a=%41&c')).toBe('a=%2541&b=2&c=');
  });

  it('derives the §1.9 signing key', () => {
    expect(signingKey(VEC.sk, '20250115', 'us-east-1', 'es').toString('hex')).toBe(
      '8b5941c56e08ac90d0bd6ece7362f701228e692128dbc5e4809900c8188cbad1',
    );
  });
});

describe('§1.9 vectors verify', () => {
  const cases: Array<[string, string, string, string, string | undefined, string, string?, string?]> = [
    ['ping', 'GET', '/', '', 'application/json', '36432a6a807fbc83a10c361dffd06d44582f3995d080c0307bef6089aca64fb9'],
    ['sql', 'GET', '/sql', '{"query": "SELECT 1"}', 'application/json', '4745a99fbe100d5cd77b878a3a7fa901f658a6f93deaaed68cfd6c8f4a974360'],
    [
      'list_visualizations (signed with empty query)',
      'GET',
      '/visualizations?limit=50&offset=100',
      '',
      'application/json',
      'c0787e9b89b16850926009836ca532c449c3013d1de76907f7ea12ce001d3b2e',
    ],
    [
      'list_visualizations (standard query)',
      'GET',
      '/visualizations?limit=50&offset=100',
      '',
      'application/json',
      'e3774393eecd45321fa8b75c59dae28b8bf20ce01f2100f49f8a30fabcaf7406',
    ],
    [
      'query_source (no content-type)',
      'POST',
      '/source/conn-1/idx/dsl',
      '{"query": "{\\"query\\":{\\"match_all\\":{}}}"}',
      undefined,
      'b28bf34a581f187aa222e4d5d44289cfe091cb313d84de33a63c60b7f181d0f7',
    ],
    [
      'promql',
      'POST',
      '/promql/query',
      'query=up%7Bjob%3D%22x%22%7D%20/%202&index=m%20ds',
      'application/x-www-form-urlencoded',
      '1393f7aded38de6ac3d2ef916204fc7dd445482aae0c03fc695b3e289e984ce9',
    ],
    [
      'create_user',
      'PUT',
      '/user/bob',
      'Version: 2025-01-01\nRoles: [a]\n',
      'application/yaml',
      '9b4b0a9aca25acb49bdcd16305aa1a97fe989e4426b8eb1b0cf2ffe604005260',
    ],
    [
      'upload_file (UNSIGNED-PAYLOAD)',
      'POST',
      '/import/file?async=true',
      '--boundary\r\n...multipart bytes...',
      undefined,
      '1a19f656c8ac7485021a0754cb694e118eef1ff128bf33bbcebd8c835ca26cf5',
      'api.example.com',
      'UNSIGNED-PAYLOAD',
    ],
  ];

  for (const [name, method, url, body, ct, sig, host, hash] of cases) {
    it(name, () => {
      const headers = vectorHeaders(sig, body, ct, host, hash);
      // The multipart Content-Type is sent but not signed.
      if (hash === 'UNSIGNED-PAYLOAD') headers['content-type'] = 'multipart/form-data; boundary=b';
      const p = verifyRequest({ method, url, headers, body: Buffer.from(body) }, lookup, VEC.now);
      expect(p).toEqual({ user: 'admin', roles: ['admin'], accessKey: VEC.ak });
    });
  }

  it('the ping vector stays valid 14 minutes later, not 16', () => {
    const headers = vectorHeaders('36432a6a807fbc83a10c361dffd06d44582f3995d080c0307bef6089aca64fb9', '', 'application/json');
    const req = { method: 'GET', url: '/', headers, body: undefined };
    expect(verifyRequest(req, lookup, VEC.now + 14 * 60_000).user).toBe('admin');
    const e = expectStatus(() => verifyRequest(req, lookup, VEC.now + 16 * 60_000), 401, 'unauthorized');
    expect(e.reason).toMatch(/time window/);
    expectStatus(() => verifyRequest(req, lookup, VEC.now - 16 * 60_000), 401);
  });
});

describe('rejections', () => {
  const sqlSig = '4745a99fbe100d5cd77b878a3a7fa901f658a6f93deaaed68cfd6c8f4a974360';
  const sqlBody = '{"query": "SELECT 1"}';

  it('tampered body with the original hash header → 400 hash mismatch', () => {
    const headers = vectorHeaders(sqlSig, sqlBody, 'application/json');
    expectStatus(
      () => verifyRequest({ method: 'GET', url: '/sql', headers, body: Buffer.from('{"query": "SELECT 2"}') }, lookup, VEC.now),
      400,
      'x_amz_content_sha256_mismatch',
    );
  });

  it('tampered body with a recomputed hash → 401', () => {
    const body = '{"query": "SELECT 2"}';
    const headers = vectorHeaders(sqlSig, body, 'application/json');
    const e = expectStatus(() => verifyRequest({ method: 'GET', url: '/sql', headers, body: Buffer.from(body) }, lookup, VEC.now), 401);
    expect(e.toBody()).toMatchObject({ error: { type: 'unauthorized', reason: 'Invalid signature' }, status: 401 });
  });

  it('wrong secret, unknown key, wrong method, wrong path → 401', () => {
    const headers = vectorHeaders(sqlSig, sqlBody, 'application/json');
    const body = Buffer.from(sqlBody);
    const other: KeyLookup = () => ({ secret: 'x'.repeat(40), user: 'admin', roles: [] });
    expectStatus(() => verifyRequest({ method: 'GET', url: '/sql', headers, body }, other, VEC.now), 401);
    expectStatus(() => verifyRequest({ method: 'GET', url: '/sql', headers, body }, () => undefined, VEC.now), 401);
    expectStatus(() => verifyRequest({ method: 'POST', url: '/sql', headers, body }, lookup, VEC.now), 401);
    expectStatus(() => verifyRequest({ method: 'GET', url: '/sqlx', headers, body }, lookup, VEC.now), 401);
  });

  it('missing Authorization tells the user how to sign', () => {
    const e = expectStatus(() => verifyRequest({ method: 'GET', url: '/', headers: {}, body: undefined }, lookup, VEC.now), 401);
    expect(e.reason).toMatch(/Signature Version 4.*us-east-1.*es/);
  });

  it('X-Amz-Date must match the scope date and format', () => {
    const headers = vectorHeaders(sqlSig, sqlBody, 'application/json');
    headers['x-amz-date'] = '20250116T103000Z';
    expectStatus(() => verifyRequest({ method: 'GET', url: '/sql', headers, body: Buffer.from(sqlBody) }, lookup, VEC.now), 401);
    headers['x-amz-date'] = '2025-01-15T10:30:00Z';
    expectStatus(() => verifyRequest({ method: 'GET', url: '/sql', headers, body: Buffer.from(sqlBody) }, lookup, VEC.now), 401);
  });

  it('parses Authorization leniently', () => {
    const a = parseAuthorization(`AWS4-HMAC-SHA256 Credential=AK/20250115/us-east-1/es/aws4_request,SignedHeaders=host;x-amz-date,Signature=ab`);
    expect(a).toMatchObject({ accessKey: 'AK', signedHeaders: ['host', 'x-amz-date'], signature: 'ab' });
    expectStatus(() => parseAuthorization('Basic Zm9vOmJhcg=='), 401);
    expectStatus(() => parseAuthorization('AWS4-HMAC-SHA256 Credential=AK/x, Signature=ab'), 401);
  });
});

describe('canonical URI / query variants', () => {
  const base = { host: 'localhost:8000', accessKey: VEC.ak, secretKey: VEC.sk, now: VEC.now, contentType: 'application/json' };

  it('space in a dataset name: SDK signs the raw path, wire carries %20', () => {
    const headers = sign({ ...base, method: 'GET', url: '/my%20ds/_count', canonicalUri: '/my ds/_count' });
    expect(verifyRequest({ method: 'GET', url: '/my%20ds/_count', headers, body: undefined }, lookup, VEC.now).user).toBe('admin');
  });

  it('raw path signed as received', () => {
    const headers = sign({ ...base, method: 'GET', url: '/my%20ds/_count' });
    expect(verifyRequest({ method: 'GET', url: '/my%20ds/_count', headers, body: undefined }, lookup, VEC.now).user).toBe('admin');
  });

  it('UNSIGNED-PAYLOAD only where the protocol needs it (multipart upload)', () => {
    const body = '{"a":1}';
    const mk = (url: string) => {
      const headers = sign({ method: 'POST', url, host: 'localhost:8000', accessKey: VEC.ak, secretKey: VEC.sk, now: VEC.now, payloadHash: 'UNSIGNED-PAYLOAD' });
      return { method: 'POST', url, headers, body: Buffer.from(body) };
    };
    expect(verifyRequest(mk('/import/file?async=true'), lookup, VEC.now).user).toBeDefined();
    expect(() => verifyRequest(mk('/logs/json'), lookup, VEC.now)).toThrow(/UNSIGNED-PAYLOAD is accepted only/);
  });

  it('curl/AWS SDK style: single and double encoded path', () => {
    const wire = '/a:b%20c/_count';
    for (const canonicalUri of ['/a%3Ab%20c/_count', '/a%253Ab%2520c/_count']) {
      const headers = sign({ ...base, method: 'GET', url: wire, canonicalUri });
      expect(verifyRequest({ method: 'GET', url: wire, headers, body: undefined }, lookup, VEC.now).user).toBe('admin');
    }
  });

  it('query: SDK normalize_query, AWS standard, and empty', () => {
    const wire = '/visualizations?offset=100&limit=5%2C0';
    for (const canonicalQuery of [normalizeQuery('offset=100&limit=5%2C0'), 'limit=5%2C0&offset=100', '']) {
      const headers = sign({ ...base, method: 'GET', url: wire, canonicalQuery });
      expect(verifyRequest({ method: 'GET', url: wire, headers, body: undefined }, lookup, VEC.now).user).toBe('admin');
    }
    const bad = sign({ ...base, method: 'GET', url: wire, canonicalQuery: 'limit=6' });
    expectStatus(() => verifyRequest({ method: 'GET', url: wire, headers: bad, body: undefined }, lookup, VEC.now), 401);
  });

  it('no x-amz-content-sha256 header (curl): hash of the body is used', () => {
    const body = '{"a":1}';
    const headers = sign({ ...base, method: 'POST', url: '/x/json', body, omitContentSha: true });
    expect(verifyRequest({ method: 'POST', url: '/x/json', headers, body: Buffer.from(body) }, lookup, VEC.now).user).toBe('admin');
  });

  it('header values are trimmed', () => {
    const headers = sign({ ...base, method: 'GET', url: '/' });
    headers['content-type'] = '  application/json ';
    expect(verifyRequest({ method: 'GET', url: '/', headers, body: undefined }, lookup, VEC.now).user).toBe('admin');
  });
});

describe('presigned WebSocket URLs (§1.9 WS vectors)', () => {
  const query = (sig: string) =>
    `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20250115%2Fus-east-1%2Fes%2Faws4_request&X-Amz-Date=20250115T103000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=${sig}`;
  const httpSig = '21f4f795757a864106eda2323f5a7f5147424d73025eaa951563fa0a378d833c';
  const httpsSig = '2a582f4eed06fc10eb300cbe28b8c1154d02641e024544cfb406281e574b822e';

  it('verifies the ws:// vector, as a full URL and as a request target', () => {
    const url = `ws://localhost:8000/_conversation/ws?${query(httpSig)}`;
    expect(verifyPresignedUrl(url, 'localhost:8000', lookup, { now: VEC.now }).user).toBe('admin');
    expect(verifyPresignedUrl(`/_conversation/ws?${query(httpSig)}`, 'localhost:8000', lookup, { now: VEC.now }).user).toBe('admin');
  });

  it('verifies the wss:// vector, also when the client adds the default port', () => {
    const target = `/_conversation/ws?${query(httpsSig)}`;
    expect(verifyPresignedUrl(target, 'api.example.com', lookup, { now: VEC.now }).accessKey).toBe(VEC.ak);
    expect(verifyPresignedUrl(target, 'api.example.com:443', lookup, { now: VEC.now }).accessKey).toBe(VEC.ak);
  });

  it('rejects a wrong host, path, stale date or tampered signature', () => {
    const target = `/_conversation/ws?${query(httpSig)}`;
    expectStatus(() => verifyPresignedUrl(target, 'evil:8000', lookup, { now: VEC.now }), 401);
    expectStatus(() => verifyPresignedUrl(`/fino/nl?${query(httpSig)}`, 'localhost:8000', lookup, { now: VEC.now }), 401);
    expectStatus(() => verifyPresignedUrl(target, 'localhost:8000', lookup, { now: VEC.now + 3600_000 }), 401);
    expectStatus(() => verifyPresignedUrl(`/_conversation/ws?${query('0'.repeat(64))}`, 'localhost:8000', lookup, { now: VEC.now }), 401);
    expectStatus(() => verifyPresignedUrl('/_conversation/ws', 'localhost:8000', lookup, { now: VEC.now }), 401);
  });
});
