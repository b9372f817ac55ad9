/** Presigned HTTP URLs (query-string SigV4 with X-Amz-Expires) and the render methods. */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InfinoClient, InfinoError, presignUrl } from '../src/index.js';
import { AK, NOW, SK, capturingClient } from './helpers.js';

const SCOPE = 'AKIDEXAMPLE%2F20250115%2Fus-east-1%2Fes%2Faws4_request';

/** Independent AWS SigV4 over a presigned GET (node:crypto, not the SDK's signer). */
function expectedSignature(method: string, path: string, canonicalQuery: string, host: string): string {
  const hmac = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest();
  const creq = [method, path, canonicalQuery, `host:${host}`, '', 'host', createHash('sha256').update('').digest('hex')].join('\n');
  const sts = ['AWS4-HMAC-SHA256', '20250115T103000Z', '20250115/us-east-1/es/aws4_request', createHash('sha256').update(creq).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + SK, '20250115'), 'us-east-1'), 'es'), 'aws4_request');
  return createHmac('sha256', key).update(sts).digest('hex');
}

function split(url: string): { base: string; query: string; signature: string } {
  const m = /^([^?]*)\?(.*)&X-Amz-Signature=([0-9a-f]{64})$/.exec(url);
  if (!m) throw new Error(`not a presigned URL: ${url}`);
  return { base: m[1], query: m[2], signature: m[3] };
}

describe('presignUrl', () => {
  it('adds the X-Amz-* parameters, writes the query in canonical order and signs it (AWS standard)', async () => {
    const url = await presignUrl({ url: 'https://api.example.com/visualizations/v1/render.svg?width=320&a=x%20y', accessKey: AK, secretKey: SK, expiresIn: 600, now: NOW });
    const { base, query, signature } = split(url);
    expect(base).toBe('https://api.example.com/visualizations/v1/render.svg');
    expect(query).toBe(
      `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${SCOPE}&X-Amz-Date=20250115T103000Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&a=x%20y&width=320`,
    );
    expect(signature).toBe(expectedSignature('GET', '/visualizations/v1/render.svg', query, 'api.example.com'));
  });

  it('signs the host with its explicit non-default port, and keeps a base path', async () => {
    const url = await presignUrl({ url: 'http://LocalHost:8000/base/x', accessKey: AK, secretKey: SK, expiresIn: 1, now: NOW });
    const { base, query, signature } = split(url);
    expect(base).toBe('http://LocalHost:8000/base/x');
    expect(signature).toBe(expectedSignature('GET', '/base/x', query, 'localhost:8000'));
  });

  it('refuses bad input', async () => {
    const input = { url: 'https://h/x', accessKey: AK, secretKey: SK, now: NOW };
    for (const expiresIn of [0, -1, 1.5, 604801, Number.NaN]) {
      await expect(presignUrl({ ...input, expiresIn })).rejects.toThrow(InfinoError);
    }
    await expect(presignUrl({ ...input, expiresIn: 604800 })).resolves.toContain('X-Amz-Expires=604800&');
    await expect(presignUrl({ ...input, url: 'ws://h/x', expiresIn: 60 })).rejects.toThrow(/absolute http\(s\) URL/);
    await expect(presignUrl({ ...input, url: '/x', expiresIn: 60 })).rejects.toThrow(/absolute http\(s\) URL/);
    await expect(presignUrl({ ...input, url: 'https://h/x?X-Amz-Date=1', expiresIn: 60 })).rejects.toThrow(/already has/);
    await expect(presignUrl({ ...input, accessKey: '', expiresIn: 60 })).rejects.toThrow(/access key/);
  });
});

describe('presigned render URLs', () => {
  it('presignVisualizationSvgUrl: size, normalised filters and time range as compact JSON, default 1 h', async () => {
    const { client, calls } = capturingClient();
    const url = await client.presignVisualizationSvgUrl('v1', {
      width: 320,
      height: 200,
      filters: [{ id: 'f1', field: 'host', operator: 'is', value: 'a b+c' }],
      timeRange: { from: '2025-01-01T00:00:00Z', to: 1736899200000 },
    });
    expect(calls).toHaveLength(0); // computed locally
    const { base, query, signature } = split(url);
    expect(base).toBe('http://localhost:8000/visualizations/v1/render.svg');
    const params = new URLSearchParams(query);
    expect(params.get('X-Amz-Expires')).toBe('3600');
    expect(params.get('width')).toBe('320');
    expect(params.get('height')).toBe('200');
    expect(JSON.parse(params.get('filters')!)).toEqual([
      { id: 'f1', field: 'host', operator: 'is', value: 'a b+c', enabled: true, is_time_filter: false, query_type: null, index: null },
    ]);
    expect(params.get('filters')).not.toContain(', ');
    expect(JSON.parse(params.get('time_range')!)).toEqual({ from: '2025-01-01T00:00:00Z', to: 1736899200000 });
    expect(query).not.toContain('+'); // '+' and spaces are percent-encoded
    expect(query).toContain('a%20b%2Bc');
    expect(Object.keys(Object.fromEntries(params))).toEqual(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'filters', 'height', 'time_range', 'width']);
    expect(signature).toBe(expectedSignature('GET', '/visualizations/v1/render.svg', query, 'localhost:8000'));
  });

  it('presignDashboardHtmlUrl: width only (no height), custom expiry, id encoded', async () => {
    const { client } = capturingClient();
    const url = await client.presignDashboardHtmlUrl('d 1', { width: 1024, expiresIn: 60, ...({ height: 5 } as object) });
    const { base, query } = split(url);
    expect(base).toBe('http://localhost:8000/dashboards/d%201/render.html');
    expect(query).toContain('X-Amz-Expires=60&');
    expect(query.endsWith('&width=1024')).toBe(true);
    expect(query).not.toContain('height');
    // Flat and grouped give the same URL (same clock).
    expect(await client.visualizations.presignDashboardHtmlUrl('d 1', { width: 1024, expiresIn: 60 })).toBe(url);
  });

  it('uses the client clock and refuses a closed client', async () => {
    const { client } = capturingClient(undefined, { clock: () => new Date('2026-03-04T05:06:07Z') });
    expect(await client.presignVisualizationSvgUrl('v1')).toContain('X-Amz-Date=20260304T050607Z&');
    client.close();
    await expect(client.presignVisualizationSvgUrl('v1')).rejects.toThrow(/closed/);
  });
});

describe('render methods', () => {
  it('renderVisualizationSvg: signed GET with the render query, resolves to the raw SVG text', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><text>{"a":1}</text></svg>';
    const { client, calls } = capturingClient(() => ({ body: svg }));
    expect(await client.renderVisualizationSvg('v1', { width: 320, height: 200, filters: [{ id: 'f1', field: 'host', operator: 'is', value: 'x' }] })).toBe(svg);
    expect(calls[0].method).toBe('GET');
    expect(calls[0].body).toBeUndefined();
    expect(calls[0].headers['Authorization']).toMatch(/^AWS4-HMAC-SHA256 /);
    const u = new URL(calls[0].url);
    expect(u.pathname).toBe('/visualizations/v1/render.svg');
    expect(u.searchParams.get('width')).toBe('320');
    expect(JSON.parse(u.searchParams.get('filters')!)[0]).toMatchObject({ id: 'f1', enabled: true, index: null });
    expect(await client.visualizations.renderVisualizationSvg('v1')).toBe(svg);
    expect(calls[1].url).toBe('http://localhost:8000/visualizations/v1/render.svg');
  });

  it('renderDashboardHtml: raw HTML text; an empty body is an empty string; JSON is an error', async () => {
    const html = '<!doctype html><html><body>hi</body></html>';
    const { client, calls } = capturingClient((c) => ({ body: c.url.includes('empty') ? '' : c.url.includes('json') ? '{"x":1}' : html }));
    expect(await client.renderDashboardHtml('d1', { width: 1280, timeRange: { from: 1, to: 2 } })).toBe(html);
    expect(calls[0].url).toBe('http://localhost:8000/dashboards/d1/render.html?width=1280&time_range=%7B%22from%22%3A1%2C%22to%22%3A2%7D');
    expect(await client.renderDashboardHtml('empty')).toBe('');
    await expect(client.renderDashboardHtml('json')).rejects.toMatchObject({ errorType: 'parse' });
  });

  it('server errors reject with InfinoError', async () => {
    const { client } = capturingClient(() => ({ status: 400, body: '{"error":{"type":"ValidationError","reason":"`width` must be"},"status":400}' }));
    await expect(client.renderVisualizationSvg('v1', { width: 1 })).rejects.toMatchObject({ status: 400, reason: '`width` must be' });
  });

  it('are flat methods on the client', () => {
    const client = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: 'http://h' });
    for (const name of ['renderVisualizationSvg', 'renderDashboardHtml', 'presignVisualizationSvgUrl', 'presignDashboardHtmlUrl'] as const) {
      expect(client[name]).toBeTypeOf('function');
    }
  });
});
