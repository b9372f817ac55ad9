import { describe, expect, it } from 'vitest';
import {
  EMPTY_SHA256,
  canonicalHost,
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  formatAmzDate,
  normalizeQuery,
  parseAuthorizationHeader,
  presignWebSocketUrl,
  pythonJsonDumps,
  sha256Hex,
  signCanonicalRequest,
  signRequest,
  stringToSign,
  toHex,
  uriEncode,
  pythonQuote,
  InfinoError,
} from '../src/index.js';
import { AK, NOW, SK, capturingClient, signatureOf } from './helpers.js';

const sign = (method: string, url: string, headers?: Record<string, string>, body?: string) =>
  signRequest({ method, url, headers, body, accessKey: AK, secretKey: SK, now: NOW });

describe('§1.9 test vectors (frozen clock)', () => {
  it('signing key', async () => {
    expect(toHex(await deriveSigningKey(SK, '20250115'))).toBe(
      '8b5941c56e08ac90d0bd6ece7362f701228e692128dbc5e4809900c8188cbad1',
    );
  });

  it('ping(): canonical request hash and signature', async () => {
    const h = await sign('GET', 'http://localhost:8000/');
    expect(h).toMatchObject({
      'X-Amz-Date': '20250115T103000Z',
      'X-Amz-Content-Sha256': EMPTY_SHA256,
      'Content-Type': 'application/json',
      Host: 'localhost:8000',
    });
    const creq = canonicalRequest({
      method: 'GET',
      path: '/',
      headers: { host: 'localhost:8000', 'content-type': 'application/json', 'x-amz-date': h['X-Amz-Date'], 'x-amz-content-sha256': EMPTY_SHA256 },
      payloadHash: EMPTY_SHA256,
    });
    expect(await sha256Hex(creq)).toBe('b71b2011e764493f7632f568ba03e6d0df9bca68edf243119707e8eafcc82d70');
    expect(h['Authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250115/us-east-1/es/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, ' +
        'Signature=36432a6a807fbc83a10c361dffd06d44582f3995d080c0307bef6089aca64fb9',
    );
  });

  it('ping() through the client', async () => {
    const { client, calls } = capturingClient(() => ({ body: '{"version":"2025-06-30"}' }));
    expect(await client.ping()).toEqual({ version: '2025-06-30' });
    expect(calls[0].url).toBe('http://localhost:8000/');
    expect(calls[0].headers.Host).toBeUndefined(); // fetch sets it
    expect(signatureOf(calls[0].headers)).toBe('36432a6a807fbc83a10c361dffd06d44582f3995d080c0307bef6089aca64fb9');
  });

  it('queryDatasetInSql("SELECT 1") — GET with body via a GET-capable fetch', async () => {
    const { client, calls } = capturingClient(undefined, { queryMethod: 'GET' });
    await client.queryDatasetInSql('SELECT 1');
    expect(calls[0].method).toBe('GET');
    expect(calls[0].body).toBe('{"query": "SELECT 1"}');
    expect(calls[0].headers['X-Amz-Content-Sha256']).toBe('3488a30f7c596e7f548e6af9c3df808d3aaef4ef338fc7de6218381c5ca30d4a');
    expect(signatureOf(calls[0].headers)).toBe('4745a99fbe100d5cd77b878a3a7fa901f658a6f93deaaed68cfd6c8f4a974360');
  });

  it('queryDatasetInSql defaults to POST (fetch cannot send GET bodies)', async () => {
    const { client, calls } = capturingClient();
    await client.queryDatasetInSql('SELECT 1');
    expect(calls[0].method).toBe('POST');
    expect(calls[0].body).toBe('{"query": "SELECT 1"}');
  });

  it('listVisualizations(limit 50, offset 100): query signed (TS [REC]); Python form signs empty query', async () => {
    const { client, calls } = capturingClient(() => ({ body: '{"items":[]}' }));
    await client.listVisualizations({ limit: 50, offset: 100 });
    expect(calls[0].url).toBe('http://localhost:8000/visualizations?limit=50&offset=100');
    expect(signatureOf(calls[0].headers)).toBe('e3774393eecd45321fa8b75c59dae28b8bf20ce01f2100f49f8a30fabcaf7406');
    // What Python does (params appended after signing):
    const py = await sign('GET', 'http://localhost:8000/visualizations');
    expect(signatureOf(py)).toBe('c0787e9b89b16850926009836ca532c449c3013d1de76907f7ea12ce001d3b2e');
  });

  it('listVisualizations() without params sends no query', async () => {
    const { client, calls } = capturingClient(() => ({ body: '{"items":[]}' }));
    await client.listDashboards();
    await client.listDashboards({ offset: 5 });
    expect(calls[0].url).toBe('http://localhost:8000/dashboards');
    expect(calls[1].url).toBe('http://localhost:8000/dashboards?offset=5');
  });

  it('querySource: no Content-Type, unsigned x-infino-connection-id', async () => {
    const { client, calls } = capturingClient();
    await client.querySource('conn-1', 'idx', '{"query":{"match_all":{}}}');
    const c = calls[0];
    expect(c.url).toBe('http://localhost:8000/source/conn-1/idx/dsl');
    expect(c.body).toBe('{"query": "{\\"query\\":{\\"match_all\\":{}}}"}');
    expect(c.headers['Content-Type']).toBeUndefined();
    expect(c.headers['x-infino-connection-id']).toBe('conn-1');
    expect(c.headers['X-Amz-Content-Sha256']).toBe('e8985c9a8cd3bc7219978df15ef1b6ccaa307654db981c69471cfcc4e3cf834e');
    expect(c.headers.Authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date,');
    expect(signatureOf(c.headers)).toBe('b28bf34a581f187aa222e4d5d44289cfe091cb313d84de33a63c60b7f181d0f7');
  });

  it('queryDatasetInPromql: Python quote form body', async () => {
    const { client, calls } = capturingClient();
    await client.queryDatasetInPromql('up{job="x"} / 2', 'm ds');
    const c = calls[0];
    expect(c.url).toBe('http://localhost:8000/promql/query');
    expect(c.body).toBe('query=up%7Bjob%3D%22x%22%7D%20/%202&index=m%20ds');
    expect(c.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(c.headers['X-Amz-Content-Sha256']).toBe('01222419b33cf7b825ba1484fc6a3793b3c5e1909b997fa3c433ceb7e44f08d6');
    expect(signatureOf(c.headers)).toBe('1393f7aded38de6ac3d2ef916204fc7dd445482aae0c03fc695b3e289e984ce9');
  });

  it('createUser with YAML', async () => {
    const { client, calls } = capturingClient();
    await client.createUser('bob', 'Version: 2025-01-01\nRoles: [a]\n');
    const c = calls[0];
    expect([c.method, c.url]).toEqual(['PUT', 'http://localhost:8000/user/bob']);
    expect(c.headers['Content-Type']).toBe('application/yaml');
    expect(c.headers['X-Amz-Content-Sha256']).toBe('c29dd3b8c33c4fa34920a4cb24ce63900ef3e7b77d87159156adfc0a3d181bfb');
    expect(signatureOf(c.headers)).toBe('9b4b0a9aca25acb49bdcd16305aa1a97fe989e4426b8eb1b0cf2ffe604005260');
  });

  it('upload_file canonical request (multipart, UNSIGNED-PAYLOAD, signed query)', async () => {
    const creq = canonicalRequest({
      method: 'POST',
      path: '/import/file',
      query: 'async=true',
      headers: { host: canonicalHost('https://api.example.com/import/file?async=true'), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-date': '20250115T103000Z' },
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    expect(creq).toBe(
      'POST\n/import/file\nasync=true\nhost:api.example.com\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20250115T103000Z\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD',
    );
    const { signature } = await signCanonicalRequest({ canonicalRequest: creq, amzDate: '20250115T103000Z', secretKey: SK });
    expect(signature).toBe('1a19f656c8ac7485021a0754cb694e118eef1ff128bf33bbcebd8c835ca26cf5');
  });

  it('presigned WebSocket URLs', async () => {
    expect(await presignWebSocketUrl('http://localhost:8000', '/_conversation/ws', AK, SK, NOW)).toBe(
      'ws://localhost:8000/_conversation/ws?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20250115%2Fus-east-1%2Fes%2Faws4_request&X-Amz-Date=20250115T103000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=21f4f795757a864106eda2323f5a7f5147424d73025eaa951563fa0a378d833c',
    );
    const wss = await presignWebSocketUrl('https://api.example.com', '/_conversation/ws', AK, SK, NOW);
    expect(wss.startsWith('wss://api.example.com/_conversation/ws?')).toBe(true);
    expect(wss.endsWith('&X-Amz-Signature=2a582f4eed06fc10eb300cbe28b8c1154d02641e024544cfb406281e574b822e')).toBe(true);
    const { client } = capturingClient();
    expect(await client.presignWebSocketUrl('/_conversation/ws')).toContain('21f4f795757a864106eda2323f5a7f51');
  });
});

describe('uriEncode / normalizeQuery quirks (§1.6)', () => {
  it('uriEncode keeps only unreserved, upper-case hex, %20 for space', () => {
    expect(uriEncode('a b+c/~_.-')).toBe('a%20b%2Bc%2F~_.-');
    expect(uriEncode('é✓')).toBe('%C3%A9%E2%9C%93');
    expect(uriEncode("!*'()")).toBe('%21%2A%27%28%29');
  });
  it('pythonQuote keeps "/" by default', () => {
    expect(pythonQuote('a/b c')).toBe('a/b%20c');
  });
  it('normalizeQuery: no decoding, empty pieces skipped, missing "=", sort by key only (stable)', () => {
    expect(normalizeQuery('')).toBe('');
    expect(normalizeQuery('b=2&&a=1')).toBe('a=1&b=2');
    expect(normalizeQuery('flag&a=1')).toBe('a=1&flag=');
    expect(normalizeQuery('a=%20')).toBe('a=%2520');
    expect(normalizeQuery('a=z&a=b')).toBe('a=z&a=b'); // value order kept (standard would sort values)
    expect(normalizeQuery('a=b=c')).toBe('a=b%3Dc');
    expect(normalizeQuery('k=a b')).toBe('k=a%20b');
  });
});

describe('headers, Content-Type rule (§1.2 rule 4, §1.3)', () => {
  it('no / empty headers ⇒ Content-Type application/json, signed', async () => {
    for (const headers of [undefined, {}]) {
      const h = await sign('DELETE', 'http://localhost:8000/ds', headers);
      expect(h['Content-Type']).toBe('application/json');
      expect(h.Authorization).toContain('SignedHeaders=content-type;host;');
    }
  });
  it('caller headers ⇒ used as given, no default Content-Type', async () => {
    const h = await sign('GET', 'http://localhost:8000/x', { 'x-custom': '1' });
    expect(h['Content-Type']).toBeUndefined();
    expect(h['x-custom']).toBe('1');
    expect(h.Authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date,');
  });
  it('content-type is signed only when spelled exactly "Content-Type"', async () => {
    const lower = await sign('POST', 'http://localhost:8000/x', { 'content-type': 'text/plain' }, 'hi');
    expect(lower.Authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date,');
    const exact = await sign('POST', 'http://localhost:8000/x', { 'Content-Type': 'text/plain' }, 'hi');
    expect(exact.Authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,');
  });
  it('Host: port only when explicit and not 80/443; lower-case', () => {
    expect(canonicalHost('http://LocalHost:8000/x')).toBe('localhost:8000');
    expect(canonicalHost('https://api.infino.ws:443/')).toBe('api.infino.ws');
    expect(canonicalHost('http://h:443/')).toBe('h');
    expect(canonicalHost('http://h:80')).toBe('h');
    expect(canonicalHost('https://h')).toBe('h');
  });
  it('canonical URI is the path verbatim (no encoding, base path kept)', async () => {
    const creq = canonicalRequest({ method: 'get', path: '/api/my ds/doc/ä', headers: {}, payloadHash: EMPTY_SHA256 });
    expect(creq.split('\n').slice(0, 2)).toEqual(['GET', '/api/my ds/doc/ä']);
    expect(canonicalRequest({ method: 'GET', path: '', headers: {}, payloadHash: 'x' }).split('\n')[1]).toBe('/');
  });
  it('unsigned when a key is empty; Missing host', async () => {
    const h = await signRequest({ method: 'GET', url: 'http://h/', accessKey: '', secretKey: SK, now: NOW });
    expect(h.Authorization).toBeUndefined();
    expect(h.Host).toBeUndefined();
    await expect(signRequest({ method: 'GET', url: 'nohost', accessKey: AK, secretKey: SK })).rejects.toBeInstanceOf(InfinoError);
  });
  it('pure helpers', () => {
    expect(formatAmzDate(NOW)).toBe('20250115T103000Z');
    expect(credentialScope('20250115T103000Z')).toBe('20250115/us-east-1/es/aws4_request');
    expect(stringToSign('20250115T103000Z', 'abc')).toBe('AWS4-HMAC-SHA256\n20250115T103000Z\n20250115/us-east-1/es/aws4_request\nabc');
    expect(parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=AK/20250115/us-east-1/es/aws4_request,SignedHeaders=host;x-amz-date,Signature=ab')).toEqual({
      accessKey: 'AK', date: '20250115', region: 'us-east-1', service: 'es', terminator: 'aws4_request',
      signedHeaders: ['host', 'x-amz-date'], signature: 'ab',
    });
    expect(parseAuthorizationHeader('Bearer x')).toBeUndefined();
  });
});

describe('pythonJsonDumps', () => {
  it('matches json.dumps defaults', () => {
    expect(pythonJsonDumps({ query: 'SELECT 1' })).toBe('{"query": "SELECT 1"}');
    expect(pythonJsonDumps({ a: [1, 2, { b: null }], c: true, d: {} , e: [] })).toBe('{"a": [1, 2, {"b": null}], "c": true, "d": {}, "e": []}');
    expect(pythonJsonDumps('é"\\\n\t\u0001\u007f😀')).toBe('"\\u00e9\\"\\\\\\n\\t\\u0001\\u007f\\ud83d\\ude00"');
    expect(pythonJsonDumps({ skip: undefined, n: 1.5 })).toBe('{"n": 1.5}');
  });
});
