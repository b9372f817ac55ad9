/**
 * Server-side rendering: `GET /visualizations/{id}/render.svg` (ECharts SSR, tables and metrics as
 * hand-built SVG) and `GET /dashboards/{id}/render.html`, against the real server over signed HTTP.
 * SVGs must parse as XML and carry the series; the page must load in headless Chromium with no
 * console errors (skipped with a message when /usr/bin/chromium is absent), leaving a screenshot
 * in packages/server/test-artifacts/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { InfinoClient, type VisualizationSpec } from '@infino/sdk';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapBounded } from '../src/visualize/render/dashboard.js';
import { dashboardHtml, panelPixelSize } from '../src/visualize/render/html.js';
import { type RawResponse, signedRequest } from './http-helpers.js';
import { type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_VIZRENDERTEST001', secretKey: 'vizRenderTestSecretKey000000000000000000A' };
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);

const HOSTS = ['alpha', 'beta', 'gamma', 'delta'];
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const DOCS = Array.from({ length: 40 }, (_, i) => ({
  '@timestamp': new Date(T0 + i * HOUR).toISOString(),
  host: HOSTS[i % 4],
  status: [200, 404, 500][i % 3],
  bytes: 100 + i * 10,
  note: i === 0 ? 'a <b> & "c" \u0001' : `n${i}`,
}));

/** AWS canonical query encoding (RFC 3986 unreserved kept), keys sorted, so the signature matches. */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
function withQuery(path: string, query: Record<string, string> = {}): string {
  const qs = Object.keys(query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(query[k])}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

/** Every text node of an XML document, in document order. */
function xmlTexts(xml: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string' || typeof node === 'number') out.push(String(node));
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) if (!k.startsWith('@_')) walk(v);
  };
  walk(new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true }).parse(xml));
  return out;
}

function expectValidSvg(res: RawResponse): string[] {
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  expect(XMLValidator.validate(res.text)).toBe(true);
  expect(res.text.startsWith('<svg ')).toBe(true);
  return xmlTexts(res.text);
}

const countBy = (key: 'host' | 'status', docs = DOCS) => {
  const m = new Map<string, number>();
  for (const d of docs) m.set(String(d[key]), (m.get(String(d[key])) ?? 0) + 1);
  return m;
};

describe('server-side rendering', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  let port: number;
  const get = (path: string, query?: Record<string, string>) => signedRequest(port, creds, 'GET', withQuery(path, query), { contentType: null });
  const createViz = async (spec: Partial<VisualizationSpec>, sql: Record<string, unknown>, index = 'weblogs'): Promise<string> =>
    (await sdk.createVisualization({ title: 'test', chart: { type: 'bar' }, ...spec, source: { kind: 'sql', index, sql } } as VisualizationSpec)).id;
  const rawViz = (type: string, query: string, extra: Partial<VisualizationSpec> = {}) =>
    createViz({ title: `${type} chart`, chart: { type }, ...extra }, { raw_query: query });

  beforeAll(async () => {
    running = await startTestServer('viz-render', { ...creds, sqlMaxRows: 1000 });
    port = Number(new URL(running.server.url).port);
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await sdk.uploadJsonToDataset('weblogs', DOCS.map((d) => `{"index":{}}\n${JSON.stringify(d)}`).join('\n') + '\n');
  });
  afterAll(() => running?.stop());

  describe('GET /visualizations/{id}/render.svg', () => {
    it('renders a bar chart through ECharts SSR with its categories and values', async () => {
      const id = await rawViz('bar', 'SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host');
      const res = await get(`/visualizations/${id}/render.svg`);
      const texts = expectValidSvg(res);
      expect(res.text).toMatch(/^<svg role="img" aria-label="bar chart" width="800" height="400" /);
      for (const [host, n] of countBy('host')) {
        expect(texts).toContain(host);
        expect(texts).toContain(String(n));
      }
      expect(texts).toContain('bar chart');
    });

    it('honours width/height and rejects sizes out of bounds', async () => {
      const id = await rawViz('line', 'SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host');
      const res = await get(`/visualizations/${id}/render.svg`, { width: '320', height: '200' });
      expectValidSvg(res);
      expect(res.text).toContain('width="320" height="200"');
      for (const [q, name] of [[{ width: '10' }, 'width'], [{ height: '99999' }, 'height'], [{ width: '12.5' }, 'width'], [{ height: 'big' }, 'height']] as const) {
        const bad = await get(`/visualizations/${id}/render.svg`, q);
        expect(bad.status).toBe(400);
        expect(bad.json().error).toMatchObject({ type: 'ValidationError', reason: expect.stringContaining(`\`${name}\``) });
      }
    });

    it('applies filters and time_range given as JSON query parameters', async () => {
      const id = await rawViz('bar', 'SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host');
      const filtered = expectValidSvg(await get(`/visualizations/${id}/render.svg`, { filters: JSON.stringify([{ field: 'host', operator: 'is', value: 'gamma' }]) }));
      expect(filtered).toContain('gamma');
      expect(filtered).not.toContain('alpha');

      const from = T0 + 4 * HOUR;
      const to = T0 + 7 * HOUR; // hours 4..7: alpha, beta, gamma, delta once each
      const windowed = expectValidSvg(await get(`/visualizations/${id}/render.svg`, { time_range: JSON.stringify({ from, to: new Date(to).toISOString() }) }));
      for (const host of HOSTS) expect(windowed).toContain(host);
    });

    it('answers 400 for bad JSON or a bad body shape, 404 for an unknown visualization', async () => {
      const id = await rawViz('bar', 'SELECT host, count(*) AS n FROM weblogs GROUP BY host');
      const badJson = await get(`/visualizations/${id}/render.svg`, { filters: '[{"field":' });
      expect(badJson.status).toBe(400);
      expect(badJson.json()).toMatchObject({ error: { type: 'ValidationError', reason: expect.stringContaining('`filters` query parameter must be JSON') }, status: 400 });
      const notArray = await get(`/visualizations/${id}/render.svg`, { filters: '{"field":"host"}' });
      expect(notArray.status).toBe(400);
      const badRange = await get(`/visualizations/${id}/render.svg`, { time_range: '"yesterday"' });
      expect(badRange.status).toBe(400);
      const missing = await get('/visualizations/nope/render.svg');
      expect(missing.status).toBe(404);
      expect(missing.json()).toMatchObject({ error: { type: 'NotFound', reason: "visualization 'nope' not found" }, status: 404 });
    });

    it('renders pie, heatmap, horizontalBar, area and scatter charts', async () => {
      const cases: Array<[string, string, string[]]> = [
        ['pie', 'SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host', HOSTS],
        ['horizontalBar', 'SELECT host, sum(bytes) AS total FROM weblogs GROUP BY host ORDER BY host', HOSTS],
        ['area', 'SELECT host, sum(bytes) AS total FROM weblogs GROUP BY host ORDER BY host', HOSTS],
        ['heatmap', 'SELECT host, CAST(status AS VARCHAR) AS code, count(*) AS n FROM weblogs GROUP BY ALL ORDER BY ALL', [...HOSTS, '200', '404', '500']],
      ];
      for (const [type, query, expected] of cases) {
        const extra = type === 'heatmap' ? { mapping: { x: 'host', series: 'code', y: ['n'] } } : {};
        const id = await rawViz(type, query, extra as Partial<VisualizationSpec>);
        const texts = expectValidSvg(await get(`/visualizations/${id}/render.svg`));
        for (const t of expected) expect(texts, `${type}: ${t}`).toContain(t);
      }
      const scatter = await rawViz('scatter', 'SELECT bytes, status FROM weblogs', { mapping: { x: 'bytes', y: ['status'] } } as Partial<VisualizationSpec>);
      const res = await get(`/visualizations/${scatter}/render.svg`);
      expectValidSvg(res);
      expect(res.text).toMatch(/<path d="M\d/); // the symbols
    });

    it('draws a table as SVG: first 50 rows, escaped text, XML-safe control characters', async () => {
      const id = await createViz({ title: 'Notes <all>', chart: { type: 'table' }, mapping: { y: ['note', 'bytes'] } as VisualizationSpec['mapping'] }, { limit: 100 });
      const res = await get(`/visualizations/${id}/render.svg`);
      const texts = expectValidSvg(res);
      expect(texts).toContain('Notes <all>');
      expect(texts.slice(0, 3)).toEqual(['Notes <all>', 'note', 'bytes']);
      expect(texts).toContain('a <b> & "c" \ufffd');
      const rows = texts.filter((t) => /^n\d+$/.test(t) || t.startsWith('a <b>'));
      expect(rows).toHaveLength(40);

      // 3 × 40 values: a.bytes = 100 contributes 100100…100490, then 110100…, then 120100…
      const many = await rawViz('table', 'SELECT a.bytes * 1000 + b.bytes AS i FROM weblogs a CROSS JOIN weblogs b ORDER BY i LIMIT 120');
      const bigRes = await get(`/visualizations/${many}/render.svg`, { height: '100' });
      const big = expectValidSvg(bigRes);
      expect(big).toContain('Showing the first 50 of 120 rows');
      expect(big).toContain('110190');
      expect(big).not.toContain('110200');
      // Taller than asked: every shown row gets its line.
      expect(Number(/height="(\d+)"/.exec(bigRes.text)![1])).toBeGreaterThan(50 * 22);
    });

    it('draws a metric as prefix + value + suffix', async () => {
      const id = await rawViz('metric', 'SELECT sum(bytes) AS total FROM weblogs', {
        options: { metric_formatting: { prefix: '≈ ', suffix: ' bytes' } },
      } as Partial<VisualizationSpec>);
      const texts = expectValidSvg(await get(`/visualizations/${id}/render.svg`));
      expect(texts).toEqual(['metric chart', `≈ ${DOCS.reduce((s, d) => s + d.bytes, 0)} bytes`]);
    });
  });

  describe('GET /dashboards/{id}/render.html', () => {
    let dashboardId: string;
    let html: string;

    beforeAll(async () => {
      const bar = await rawViz('bar', 'SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host');
      const metric = await rawViz('metric', 'SELECT count(*) AS events FROM weblogs');
      const table = await rawViz('table', 'SELECT host, bytes FROM weblogs ORDER BY bytes LIMIT 5');
      const broken = await rawViz('bar', 'SELECT nope FROM weblogs');
      const dash = await sdk.createDashboard({
        title: 'Ops <overview>',
        panels: [
          { viz_id: bar, layout: { x: 0, y: 0, w: 24, h: 15 }, title_override: 'Events per host' },
          { viz_id: metric, layout: { x: 24, y: 0, w: 12, h: 8 } },
          { viz_id: table, layout: { x: 36, y: 0, w: 12, h: 15 } },
          { kind: 'divider', label: 'Details & more', layout: { x: 0, y: 15, w: 48, h: 2 } },
          { kind: 'markdown', content: '# Notes\n\n**Bold** text <script>alert(1)</script>\n\n- one\n- two\n\n[x](javascript:alert(1))', layout: { x: 0, y: 17, w: 16, h: 10 } },
          { viz_id: 'nope', layout: { x: 16, y: 17, w: 16, h: 10 } },
          { viz_id: broken, layout: { x: 32, y: 17, w: 16, h: 10 } },
        ],
      });
      dashboardId = dash.id;
      const res = await get(`/dashboards/${dashboardId}/render.html`);
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      html = res.text;
    });

    it('lays panels out on the 48-column grid with inline SVGs', () => {
      expect(html).toContain('<title>Ops &lt;overview&gt;</title>');
      expect(html).toContain('grid-template-columns: repeat(48, minmax(0, 1fr)); grid-auto-rows: 22px; gap: 8px;');
      expect(html).toContain('id="panel_0" style="grid-column: 1 / span 24; grid-row: 1 / span 15;"');
      expect(html).toContain('id="panel_1" style="grid-column: 25 / span 12; grid-row: 1 / span 8;"');
      expect(html).toContain('id="panel_4" style="grid-column: 1 / span 16; grid-row: 18 / span 10;"');
      expect(html.match(/<svg /g)).toHaveLength(3);
      expect(html).toContain('aria-label="Events per host"'); // title_override wins over the viz title
      expect(html).toContain(`>${DOCS.length}</text>`); // the metric
      expect(html).toContain('class="panel viz-panel table-panel"');
    });

    it('shows failing panels as `<status>: <message>` without failing the page', () => {
      expect(html).toContain(`<div class="error-body">404: visualization &#39;nope&#39; not found</div>`);
      expect(html).toMatch(/<div class="error-body">400: [^<]*nope[^<]*<\/div>/);
    });

    it('renders markdown safely and draws the divider', () => {
      expect(html).toContain('<h1>Notes</h1>');
      expect(html).toContain('<strong>Bold</strong> text &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('<li>one</li>');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toContain('href="javascript:');
      expect(html).toContain('<div class="divider" role="separator" id="panel_3" style="grid-column: 1 / span 48; grid-row: 16 / span 2;"><span>Details &amp; more</span></div>');
    });

    it('passes filters to every panel and rejects bad query parameters', async () => {
      const res = await get(`/dashboards/${dashboardId}/render.html`, { filters: JSON.stringify([{ field: 'host', operator: 'is', value: 'beta' }]) });
      expect(res.status).toBe(200);
      expect(res.text).toContain(`>${countBy('host').get('beta')}</text>`);
      expect((await get(`/dashboards/${dashboardId}/render.html`, { time_range: '{' })).status).toBe(400);
      expect((await get(`/dashboards/${dashboardId}/render.html`, { width: '5' })).status).toBe(400);
      const missing = await get('/dashboards/nope/render.html');
      expect(missing.status).toBe(404);
      expect(missing.json().error.reason).toBe("dashboard 'nope' not found");
    });

    it.skipIf(!existsSync(CHROMIUM))('loads in headless Chromium without console errors and leaves a screenshot', async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        await page.setContent(html, { waitUntil: 'load' });
        expect(problems).toEqual([]);
        expect(await page.title()).toBe('Ops <overview>');
        // The grid really places the panels: the half-width chart is twice the quarter-width metric.
        const box = async (id: string) => (await page.locator(`#${id}`).boundingBox())!;
        const [chart, metric, md] = [await box('panel_0'), await box('panel_1'), await box('panel_4')];
        expect(chart.width / metric.width).toBeCloseTo((24 * 22 + 23 * 8) / (12 * 22 + 11 * 8), 0);
        expect(chart.height).toBeCloseTo(15 * 22 + 14 * 8, 0);
        expect(md.y).toBeGreaterThan(chart.y + chart.height);
        expect(await page.locator('svg').count()).toBe(3);
        expect(await page.locator('.error-panel').count()).toBe(2);
        mkdirSync(ARTIFACTS, { recursive: true });
        const shot = new URL('dashboard-render.png', ARTIFACTS);
        writeFileSync(shot, await page.screenshot({ fullPage: true }));
        expect(existsSync(shot)).toBe(true);
      } finally {
        await browser.close();
      }
    });
    if (!existsSync(CHROMIUM)) console.warn(`viz-render: ${CHROMIUM} is absent — the headless-browser test is skipped (apt-get install -y chromium)`);
  });
});

describe('render helpers', () => {
  it('mapBounded keeps order and never exceeds its bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (v) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, v * 3));
      inFlight--;
      return v * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('cuts error messages to 200 characters and escapes them', () => {
    const page = dashboardHtml({
      title: 't',
      pageWidth: 1440,
      panels: [{ panel: { kind: 'visualization', id: 'p', viz_id: 'v', layout: { x: 0, y: 0, w: 48, h: 4 }, title_override: null }, error: { status: 400, message: `<${'x'.repeat(300)}` } }],
    });
    expect(page).toContain(`<div class="error-body">400: &lt;${'x'.repeat(199)}</div>`);
  });

  it('sizes panel SVGs from the grid', () => {
    // 1440 px page: column = (1440 - 16 - 47 * 8) / 48 = 21.83 px.
    expect(panelPixelSize({ x: 0, y: 0, w: 48, h: 1 }, 1440)).toEqual({ width: 1422, height: 50 });
    expect(panelPixelSize({ x: 0, y: 0, w: 24, h: 15 }, 1440)).toEqual({ width: 706, height: 440 });
  });
});
