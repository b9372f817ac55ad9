/**
 * `toEchartsOption` (spec §3.11) and its Python helpers. Outputs are compared with `JSON.stringify`
 * so key order is part of the contract. `fixtures/echarts-golden.json` was produced by running the
 * reference `_to_echarts_option_impl` of infinohq/infino-sdk `lib.py` (json.dumps, compact) on each input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePyFloat, pyRepr, pyStr, pyTruthy, sortAxis, toEchartsOption, type EchartsResult } from '../src/index.js';

const golden = JSON.parse(readFileSync(new URL('./fixtures/echarts-golden.json', import.meta.url), 'utf8')) as Array<{
  name: string;
  viz: Record<string, unknown>;
  data: Record<string, unknown>;
  expected: string;
}>;

const ROWS = [
  { c: 'USD', n: 142 },
  { c: 'EUR', n: 89 },
];
const data = (rows: unknown[], binding: unknown, columns: unknown[] = []) => ({ columns, rows, metadata: { binding } });
const viz = (type: string | null, title = 'T') => ({ title, chart: { type } });
const run = (v: Record<string, unknown>, d: Record<string, unknown>): string => JSON.stringify(toEchartsOption(v, d));
const option = (r: EchartsResult) => {
  if (r.kind !== 'echarts') throw new Error(`expected an echarts result, got ${r.kind}`);
  return r.option as unknown as Record<string, unknown>;
};

describe('toEchartsOption — §3.11 golden outputs', () => {
  it('bar', () => {
    expect(run(viz('bar'), data(ROWS, { x: 'c', y: ['n'] }))).toBe(
      '{"kind":"echarts","title":"T","option":{"title":{"text":"T","left":"center"},"tooltip":{"trigger":"axis"},"legend":{"show":false},"grid":{"left":"3%","right":"8%","bottom":"8%","containLabel":true},"xAxis":{"type":"category","data":["USD","EUR"],"name":"c"},"yAxis":{"type":"value"},"series":[{"name":"n","type":"bar","data":[142,89]}]}}',
    );
  });

  it('horizontalBar swaps the axes and labels the series', () => {
    expect(run(viz('horizontalBar'), data(ROWS, { x: 'c', y: ['n'] }))).toBe(
      '{"kind":"echarts","title":"T","option":{"title":{"text":"T","left":"center"},"tooltip":{"trigger":"axis"},"legend":{"show":false},"grid":{"left":"3%","right":"8%","bottom":"8%","containLabel":true},"xAxis":{"type":"value"},"yAxis":{"type":"category","data":["USD","EUR"],"name":"c"},"series":[{"name":"n","type":"bar","data":[142,89],"label":{"show":true,"position":"right"}}]}}',
    );
  });

  it('area is a line series with areaStyle', () => {
    const o = option(toEchartsOption(viz('area'), data(ROWS, { x: 'c', y: ['n'] })));
    expect(JSON.stringify(o.series)).toBe('[{"name":"n","type":"line","data":[142,89],"areaStyle":{}}]');
  });

  it('pivot (line)', () => {
    const rows = [
      { d: 'mon', r: 'eu', n: 1 },
      { d: 'mon', r: 'us', n: 2 },
      { d: 'tue', r: 'us', n: 3 },
    ];
    const o = option(toEchartsOption(viz('line'), data(rows, { x: 'd', y: ['n'], series: 'r' })));
    expect(JSON.stringify((o.xAxis as { data: unknown }).data)).toBe('["mon","tue"]');
    expect(JSON.stringify(o.series)).toBe(
      '[{"name":"eu","type":"line","data":[1,null]},{"name":"us","type":"line","data":[2,3]}]',
    );
    expect(JSON.stringify(o.legend)).toBe('{"top":28}');
  });

  it('heatmap', () => {
    const rows = [
      { h: 10, f: 'x', n: 3 },
      { h: 9, f: 'y', n: 0 },
      { h: 9, f: 'x', n: 7 },
    ];
    const o = option(toEchartsOption(viz('heatmap'), data(rows, { x: 'h', y: ['n'], series: 'f' })));
    expect(JSON.stringify(o)).toBe(
      '{"title":{"text":"T","left":"center"},"tooltip":{"position":"top"},"xAxis":{"type":"category","data":["9","10"],"splitArea":{"show":true}},"yAxis":{"type":"category","data":["x","y"],"splitArea":{"show":true}},"visualMap":{"min":0,"max":7,"calculable":true,"orient":"horizontal","left":"center","bottom":0},"series":[{"name":"n","type":"heatmap","data":[[1,0,3],[0,1,0],[0,0,7]],"label":{"show":true,"fontSize":10},"emphasis":{"itemStyle":{"shadowBlur":10,"shadowColor":"rgba(0, 0, 0, 0.5)"}}}]}',
    );
  });

  it('pie: str() names and `or 0` values', () => {
    const o = option(
      toEchartsOption(
        viz('pie'),
        data(
          [
            { c: 'a', n: 0 },
            { c: null, n: 5 },
          ],
          { x: 'c', y: ['n'] },
        ),
      ),
    );
    expect(JSON.stringify(o)).toBe(
      '{"title":{"text":"T","left":"center"},"tooltip":{"trigger":"item"},"legend":{"orient":"horizontal","bottom":0},"series":[{"name":"n","type":"pie","radius":["40%","70%"],"data":[{"name":"a","value":0},{"name":"None","value":5}]}]}',
    );
  });

  it('metric with an empty binding takes the first numeric column', () => {
    const columns = [
      { name: 'c', type: 'string' },
      { name: 'n', type: 'number' },
    ];
    expect(run(viz('metric'), data([{ c: 'x', n: 5 }], {}, columns))).toBe(
      '{"kind":"metric","title":"T","label":"T","value":5,"formatting":null}',
    );
  });

  it('bar with an empty binding still renders (no guard)', () => {
    const o = option(toEchartsOption(viz('bar'), data(ROWS, {})));
    expect(JSON.stringify(o.xAxis)).toBe('{"type":"category","data":["None","None"],"name":null}');
    expect(JSON.stringify(o.series)).toBe('[]');
    expect(JSON.stringify(o.legend)).toBe('{"show":false}');
  });
});

describe('toEchartsOption — parity with the reference lib.py', () => {
  it.each(golden.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(run(c.viz, c.data)).toBe(c.expected);
  });

  it('pie/heatmap rows missing the bound key raise like Python r[key]', () => {
    expect(() => toEchartsOption(viz('pie'), data([{ c: 'a' }], { x: 'c', y: ['n'] }))).toThrow(/KeyError: n/);
    expect(() => toEchartsOption(viz('heatmap'), data([{ h: 1, n: 1 }], { x: 'h', y: ['n'], series: 'f' }))).toThrow(
      /KeyError: f/,
    );
  });

  it('prototype keys are not row columns', () => {
    const o = option(toEchartsOption(viz('bar'), data([{ c: 'a' }], { x: 'constructor', y: ['toString'] })));
    expect(JSON.stringify(o.series)).toBe('[{"name":"toString","type":"bar","data":[null]}]');
    expect(JSON.stringify((o.xAxis as { data: unknown }).data)).toBe('["None"]');
  });

  it('metric formatting passes through; table kind keeps rows', () => {
    const fmt = { prefix: '$', suffix: ' USD', decimals: 2 };
    const r = toEchartsOption({ title: 'Rev', chart: { type: 'gauge' }, options: { metric_formatting: fmt } }, data([{ v: 3 }], { value: 'v' }));
    expect(r).toEqual({ kind: 'metric', title: 'Rev', label: 'Rev', value: 3, formatting: fmt });
    expect(toEchartsOption(viz('table'), data(ROWS, {}))).toEqual({ kind: 'table', columns: [], rows: ROWS, title: 'T' });
  });
});

describe('pyStr / pyRepr', () => {
  it.each([
    [null, 'None'],
    [undefined, 'None'],
    [true, 'True'],
    [false, 'False'],
    [0, '0'],
    [-0, '0'],
    [-42, '-42'],
    [2.5, '2.5'],
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.234e-7, '1.234e-07'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e100, '1e+100'],
    [-2.5e-10, '-2.5e-10'],
    [123456789.125, '123456789.125'],
    [2 ** 53, '9007199254740992.0'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    // A Python int this large prints all its digits; after JSON.parse it is a float, so it prints as one.
    [Number('12345678901234567890'), '1.2345678901234567e+19'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    ['plain', 'plain'],
    ['', ''],
    [['a', 1, null, true, 2.5], "['a', 1, None, True, 2.5]"],
    [{ k: 'v', n: [1, { z: false }] }, "{'k': 'v', 'n': [1, {'z': False}]}"],
    [[], '[]'],
    [{}, '{}'],
  ])('pyStr(%j) = %s', (v, expected) => {
    expect(pyStr(v)).toBe(expected);
  });

  it('repr quoting and escapes follow CPython', () => {
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('say "hi" it\'s')).toBe("'say \"hi\" it\\'s'");
    expect(pyRepr('a\\b\t\n\r\x00\x7f')).toBe("'a\\\\b\\t\\n\\r\\x00\\x7f'");
    // Printable non-ASCII stays; non-printables get \x / \u / \U escapes (values checked against CPython 3.11).
    expect(pyStr(['é😀', '\u00a0', '\u200b', '\u2028', '\ud800', '\u{e0001}'])).toBe(
      "['é😀', '\\xa0', '\\u200b', '\\u2028', '\\ud800', '\\U000e0001']",
    );
  });
});

describe('parsePyFloat / sortAxis', () => {
  it.each([
    ['1', 1],
    [' 12 ', 12],
    ['\u00a012\u3000', 12],
    ['+1.5', 1.5],
    ['-2', -2],
    ['1.', 1],
    ['.5', 0.5],
    ['1e2', 100],
    ['1E-2', 0.01],
    ['1_000', 1000],
    ['1_0e1_0', 1e11],
    ['1.5_5', 1.55],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['+INF', Infinity],
    ['١٢', 12],
    ['𝟏𝟐', 12],
    ['1e400', Infinity],
  ])('float(%j) = %d', (s, expected) => {
    expect(parsePyFloat(s)).toBe(expected);
  });

  it('nan parses (to NaN)', () => {
    expect(parsePyFloat('nAn')).toBeNaN();
    expect(parsePyFloat('-nan')).toBeNaN();
  });

  it.each(['', ' ', 'None', '0x10', '0b1', 'abc', '1__0', '_1', '1_', '1._5', '1e_5', '.', 'e5', '1e', 'infinit', '\x1c1', '1,5'])(
    'float(%j) raises',
    (s) => {
      expect(parsePyFloat(s)).toBeNull();
    },
  );

  it('sorts numerically when every value parses, else by code point', () => {
    expect(sortAxis(['10', '9', '1_000', '-inf', '2.5', ' 3 '])).toEqual(['-inf', '2.5', ' 3 ', '9', '10', '1_000']);
    expect(sortAxis(['b', 'a', 'A'])).toEqual(['A', 'a', 'b']);
    expect(sortAxis(['10', '9', 'x'])).toEqual(['10', '9', 'x']);
    expect(sortAxis(['', '1'])).toEqual(['', '1']);
    expect(sortAxis(['0x10', '9'])).toEqual(['0x10', '9']);
    expect(sortAxis(['None', '1'])).toEqual(['1', 'None']);
    // Code points, not UTF-16 units: U+FF61 < U+1F600 although its first unit is larger.
    expect(sortAxis(['😀', '｡'])).toEqual(['｡', '😀']);
    expect(sortAxis(['nan', '1', '0'])).toEqual(['0', '1', 'nan']);
    expect(sortAxis([])).toEqual([]);
  });

  it('pyTruthy', () => {
    expect([null, undefined, false, 0, '', [], {}].map(pyTruthy)).toEqual(Array(7).fill(false));
    expect([NaN, '0', [0], { a: 1 }, true, -1].map(pyTruthy)).toEqual(Array(6).fill(true));
  });
});
