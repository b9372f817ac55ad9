/**
 * Presigned render links: `GET /visualizations/{id}/render.svg` and `GET /dashboards/{id}/render.html`
 * take query-string SigV4 (X-Amz-Expires required) so a chart can be embedded with no Authorization
 * header; every other route refuses it. Real server, real SDK, plain `fetch` for the links.
 */
import { InfinoClient, InfinoError, presignWebSocketUrl, type VisualizationSpec } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, sdkFailure, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_VIZPRESIGNTEST01', secretKey: 'vizPresignTestSecretKey00000000000000000A' };

const HOSTS = ['alpha', 'beta', 'gamma', 'delta'];
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const DOCS = Array.from({ length: 40 }, (_, i) => ({
  '@timestamp': new Date(T0 + i * HOUR).toISOString(),
  host: HOSTS[i % 4],
  bytes: 100 + i * 10,
}));

interface Fetched {
  status: number;
  type: string | null;
  text: string;
}

/** A plain GET with no headers at all, as an `<img>` or an iframe would make it. */
async function plainGet(url: string, method = 'GET'): Promise<Fetched> {
  const res = await fetch(url, { method });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

function expectForbidden(res: Fetched, reason: RegExp): void {
  expect(res.status, res.text).toBe(403);
  expect(res.type).toMatch(/^application\/json/);
  const body = JSON.parse(res.text) as { error: { type: string; reason: string }; status: number };
  expect(body).toMatchObject({ error: { type: 'security_exception' }, status: 403 });
  expect(body.error.reason).toMatch(reason);
}

describe('presigned render URLs', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  let vizId: string;
  let dashboardId: string;

  beforeAll(async () => {
    running = await startTestServer('viz-presign', { ...creds, sqlMaxRows: 1000 });
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await sdk.uploadJsonToDataset('weblogs', DOCS.map((d) => `{"index":{}}\n${JSON.stringify(d)}`).join('\n') + '\n');
    vizId = (
      await sdk.createVisualization({
        title: 'Events per host',
        chart: { type: 'bar' },
        source: { kind: 'sql', index: 'weblogs', sql: { raw_query: 'SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host' } },
      } as VisualizationSpec)
    ).id;
    dashboardId = (
      await sdk.createDashboard({
        title: 'Embedded <ops>',
        panels: [
          { viz_id: vizId, layout: { x: 0, y: 0, w: 24, h: 15 } },
          { kind: 'markdown', content: '# Notes for the wiki', layout: { x: 24, y: 0, w: 24, h: 10 } },
        ],
      })
    ).id;
  });
  afterAll(() => running?.stop());

  describe('accepted on the render routes', () => {
    it('serves the SVG to a plain fetch with no headers, size and filters as signed', async () => {
      const url = await sdk.presignVisualizationSvgUrl(vizId, { width: 320, height: 200, expiresIn: 600 });
      expect(url.startsWith(`${running.server.url}/visualizations/${vizId}/render.svg?`)).toBe(true);
      const res = await plainGet(url);
      expect(res.status, res.text).toBe(200);
      expect(res.type).toBe('image/svg+xml; charset=utf-8');
      expect(res.text).toMatch(/^<svg [^>]*width="320" height="200"/);
      for (const host of HOSTS) expect(res.text).toContain(`>${host}<`);

      const filtered = await plainGet(
        await sdk.presignVisualizationSvgUrl(vizId, { filters: [{ field: 'host', operator: 'is', value: 'gamma' }] }),
      );
      expect(filtered.status, filtered.text).toBe(200);
      expect(filtered.text).toContain('>gamma<');
      expect(filtered.text).not.toContain('>alpha<');
    });

    it('applies a signed time_range', async () => {
      // Hours 0..1 only: alpha and beta.
      const url = await sdk.presignVisualizationSvgUrl(vizId, { timeRange: { from: T0, to: new Date(T0 + HOUR).toISOString() } });
      const res = await plainGet(url);
      expect(res.status, res.text).toBe(200);
      expect(res.text).toContain('>alpha<');
      expect(res.text).toContain('>beta<');
      expect(res.text).not.toContain('>gamma<');
    });

    it('serves the dashboard HTML page', async () => {
      const url = await sdk.presignDashboardHtmlUrl(dashboardId, { width: 1024, expiresIn: 60 });
      const res = await plainGet(url);
      expect(res.status, res.text).toBe(200);
      expect(res.type).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<title>Embedded &lt;ops&gt;</title>');
      expect(res.text).toContain('Notes for the wiki');
      expect(res.text).toContain('<svg');
    });

    it('still answers render errors in the protocol shape (unknown visualization → 404)', async () => {
      const res = await plainGet(await sdk.presignVisualizationSvgUrl('nope'));
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ error: { type: 'NotFound' }, status: 404 });
    });
  });

  describe('refused', () => {
    it('when the size, filters or any parameter was altered, added or dropped', async () => {
      const url = await sdk.presignVisualizationSvgUrl(vizId, {
        width: 320,
        filters: [{ id: 'f1', field: 'host', operator: 'is', value: 'gamma' }],
      });
      expect(url).toContain('&width=320&');
      expect(url).toContain('gamma');
      expect((await plainGet(url)).status).toBe(200);
      expectForbidden(await plainGet(url.replace('width=320', 'width=640')), /Invalid signature/);
      expectForbidden(await plainGet(url.replace('gamma', 'alpha')), /Invalid signature/);
      expectForbidden(await plainGet(url.replace(/filters=[^&]*&/, '')), /Invalid signature/);
      expectForbidden(await plainGet(`${url}&height=400`), /Invalid signature/);
      expectForbidden(await plainGet(url.replace(/X-Amz-Signature=[0-9a-f]{64}$/, `X-Amz-Signature=${'0'.repeat(64)}`)), /Invalid signature/);
      expectForbidden(await plainGet(url.replace(`/visualizations/${vizId}/`, '/visualizations/other/')), /Invalid signature/);
    });

    it("when the query has a literal '+' or repeats a parameter (the handler could read something unsigned)", async () => {
      const url = await sdk.presignVisualizationSvgUrl(vizId, { filters: [{ id: 'f1', field: 'host', operator: 'is', value: 'a b' }] });
      expect(url).toContain('a%20b');
      expect((await plainGet(url)).status).toBe(200);
      expectForbidden(await plainGet(url.replace('a%20b', 'a+b')), /percent-encode '\+'/);
      expectForbidden(await plainGet(`${url}&width=400&width=500`), /may not repeat a query parameter \[width\]/);
    });

    it('when it has expired', async () => {
      const past = new InfinoClient({ ...creds, endpoint: running.server.url, clock: () => new Date(Date.now() - 2 * HOUR) });
      const expired = await past.presignVisualizationSvgUrl(vizId, { expiresIn: 60 });
      expectForbidden(await plainGet(expired), /^Presigned URL expired at \d{4}-\d\d-\d\dT/);
      // Signed two hours ago for three hours: still good.
      expect((await plainGet(await past.presignVisualizationSvgUrl(vizId, { expiresIn: 3 * 3600 }))).status).toBe(200);
      expectForbidden(await plainGet(await past.presignDashboardHtmlUrl(dashboardId, { expiresIn: 1 })), /expired/);
    });

    it('without X-Amz-Expires, or with one out of range', async () => {
      // A correctly signed URL that never says when it expires (the WebSocket form, over http).
      const wsStyle = await presignWebSocketUrl(running.server.url, `/visualizations/${vizId}/render.svg`, creds.accessKey, creds.secretKey);
      const noExpiry = wsStyle.replace(/^ws:/, 'http:');
      expectForbidden(await plainGet(noExpiry), /Missing X-Amz-Expires/);
      const url = await sdk.presignVisualizationSvgUrl(vizId, { expiresIn: 60 });
      expectForbidden(await plainGet(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801')), /Invalid X-Amz-Expires/);
      expectForbidden(await plainGet(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=0')), /Invalid X-Amz-Expires/);
      // The SDK refuses to make such URLs in the first place.
      for (const expiresIn of [0, 604801, 1.5]) {
        await expect(sdk.presignVisualizationSvgUrl(vizId, { expiresIn })).rejects.toThrow(/expiresIn must be whole seconds/);
      }
    });

    it('on every other route, even when correctly signed', async () => {
      const only = /Presigned URLs are accepted only for GET \/visualizations\/\{id\}\/render\.svg and GET \/dashboards\/\{id\}\/render\.html/;
      for (const [path, query] of [
        ['sql', { query: 'SELECT 1' }],
        [`visualizations/${vizId}`, undefined],
        [`dashboards/${dashboardId}`, undefined],
        ['visualizations', undefined],
        ['weblogs/_search', undefined],
        ['_cat/indices', undefined],
      ] as const) {
        const url = await sdk.presignUrl(path, { expiresIn: 60, query });
        expectForbidden(await plainGet(url), only);
      }
      // The right path with another method.
      const post = await sdk.presignUrl(`visualizations/${vizId}/render.svg`, { expiresIn: 60, method: 'POST' });
      expectForbidden(await plainGet(post, 'POST'), only);
      // Unknown paths too: no probing the API with a render link.
      expectForbidden(await plainGet(await sdk.presignUrl('nothing/here/at/all', { expiresIn: 60 })), only);
    });

    it('when signed with an unknown key', async () => {
      const stranger = new InfinoClient({ accessKey: 'IAK_NOBODY0000000000', secretKey: 'x'.repeat(40), endpoint: running.server.url });
      expectForbidden(await plainGet(await stranger.presignVisualizationSvgUrl(vizId)), /Invalid signature/);
    });

    it('and requests with neither a signature nor a presigned query still get 401', async () => {
      const res = await plainGet(`${running.server.url}/visualizations/${vizId}/render.svg`);
      expect(res.status).toBe(401);
    });
  });

  describe('SDK render methods', () => {
    it('renderVisualizationSvg returns the SVG text, with size and filters', async () => {
      const svg = await sdk.renderVisualizationSvg(vizId, { width: 400, height: 300, filters: [{ field: 'host', operator: 'is', value: 'beta' }] });
      expect(typeof svg).toBe('string');
      expect(svg).toMatch(/^<svg [^>]*width="400" height="300"/);
      expect(svg).toContain('>beta<');
      expect(svg).not.toContain('>alpha<');
      // Same document as the presigned link serves (zrender numbers its CSS classes per rendering).
      const viaLink = await plainGet(await sdk.presignVisualizationSvgUrl(vizId, { width: 400, height: 300, filters: [{ field: 'host', operator: 'is', value: 'beta' }] }));
      const classless = (text: string) => text.replace(/zr\d+-cls-\d+/g, 'zr-cls');
      expect(classless(viaLink.text)).toBe(classless(svg));
      // Grouped form as well as flat.
      expect(await sdk.visualizations.renderVisualizationSvg(vizId)).toMatch(/^<svg /);
    });

    it('renderDashboardHtml returns the page text', async () => {
      const html = await sdk.renderDashboardHtml(dashboardId, { width: 1280, timeRange: { from: T0, to: T0 + 10 * HOUR } });
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain('<title>Embedded &lt;ops&gt;</title>');
    });

    it('render errors reject with the server error', async () => {
      const err = await sdkFailure(sdk.renderVisualizationSvg(vizId, { width: 10 }));
      expect(err).toBeInstanceOf(InfinoError);
      expect(err.status).toBe(400);
      expect(err.reason).toContain('`width`');
    });
  });
});
