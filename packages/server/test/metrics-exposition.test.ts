/** The exposition parser: Prometheus text 0.0.4 and OpenMetrics, every construct and malformed form. */
import { describe, expect, it } from 'vitest';
import type { SampleBatch } from '../src/metrics/batch.js';
import { parseExposition } from '../src/metrics/exposition.js';

const NOW = 1_700_000_000_000;
/** The batch's samples as objects, each series' `key` checked and left out so expectations stay readable. */
const listOf = (b: SampleBatch) =>
  Array.from({ length: b.length }, (_, i) => {
    const { labels, key } = b.series[b.ref[i]];
    expect(key).toBe(JSON.stringify(labels));
    return { labels, t: b.t[i], v: b.v[i] };
  });
const parse = (text: string, format?: 'prometheus' | 'openmetrics') => {
  const r = parseExposition(text, NOW, format ? { format } : {});
  return { ...r, samples: listOf(r.samples) };
};
const only = (text: string) => {
  const r = parse(text);
  expect(r.errors).toEqual([]);
  return r.samples;
};
const errorOf = (line: string, format?: 'prometheus' | 'openmetrics') => {
  const r = parse(line, format);
  expect(r.samples).toEqual([]);
  expect(r.errors).toHaveLength(1);
  return r.errors[0];
};

describe('Prometheus text 0.0.4', () => {
  it('parses counters, gauges and untyped samples with metadata', () => {
    const r = parse(
      [
        '# HELP http_requests_total The total number of HTTP requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'http_requests_total{method="post",code="400"}    3 1395066363000',
        '',
        '# a free comment is ignored',
        '# TYPE temperature gauge',
        'temperature -3.5',
        'untyped_metric 7',
      ].join('\n'),
    );
    expect(r.format).toBe('prometheus');
    expect(r.errors).toEqual([]);
    expect(r.samples).toEqual([
      { labels: { __name__: 'http_requests_total', code: '200', method: 'post' }, t: 1395066363000, v: 1027 },
      { labels: { __name__: 'http_requests_total', code: '400', method: 'post' }, t: 1395066363000, v: 3 },
      { labels: { __name__: 'temperature' }, t: NOW, v: -3.5 },
      { labels: { __name__: 'untyped_metric' }, t: NOW, v: 7 },
    ]);
    expect(r.metadata.get('http_requests_total')).toEqual({ type: 'counter', help: 'The total number of HTTP requests.' });
    expect(r.metadata.get('temperature')).toEqual({ type: 'gauge' });
  });

  it('keeps label keys sorted and __name__ set', () => {
    const [s] = only('m{z="1",a="2",_b="3"} 1');
    expect(Object.keys(s.labels)).toEqual(['__name__', '_b', 'a', 'z']);
  });

  it('parses classic histograms and summaries', () => {
    const r = parse(
      [
        '# TYPE rpc_duration_seconds histogram',
        'rpc_duration_seconds_bucket{le="0.05"} 24054',
        'rpc_duration_seconds_bucket{le="+Inf"} 144320',
        'rpc_duration_seconds_sum 53423',
        'rpc_duration_seconds_count 144320',
        '# TYPE rpc_summary summary',
        'rpc_summary{quantile="0.5"} 4773',
        'rpc_summary{quantile="0.99"} NaN',
        'rpc_summary_sum 1.7560473e+07',
        'rpc_summary_count 2693',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.samples.map((s) => [s.labels.__name__, s.labels.le ?? s.labels.quantile ?? '', s.v])).toEqual([
      ['rpc_duration_seconds_bucket', '0.05', 24054],
      ['rpc_duration_seconds_bucket', '+Inf', 144320],
      ['rpc_duration_seconds_sum', '', 53423],
      ['rpc_duration_seconds_count', '', 144320],
      ['rpc_summary', '0.5', 4773],
      ['rpc_summary', '0.99', NaN],
      ['rpc_summary_sum', '', 1.7560473e7],
      ['rpc_summary_count', '', 2693],
    ]);
    expect(r.metadata.get('rpc_duration_seconds')?.type).toBe('histogram');
    expect(r.metadata.get('rpc_summary')?.type).toBe('summary');
  });

  it('parses special values and number forms', () => {
    const values = only(['a NaN', 'b +Inf', 'c -Inf', 'd Inf', 'e 1e3', 'f -0.5E-2', 'g .5', 'h 5.', 'i +7', 'j nan'].join('\n')).map((s) => s.v);
    expect(values).toEqual([NaN, Infinity, -Infinity, Infinity, 1000, -0.005, 0.5, 5, 7, NaN]);
  });

  it('unescapes label values and HELP text', () => {
    const r = parse(['# HELP m A \\\\ backslash\\nand a "quote"', 'm{path="C:\\\\dir",msg="say \\"hi\\"\\nbye",odd="\\t"} 1'].join('\n'));
    expect(r.errors).toEqual([]);
    expect(r.samples[0].labels).toEqual({ __name__: 'm', msg: 'say "hi"\nbye', odd: '\\t', path: 'C:\\dir' });
    expect(r.metadata.get('m')?.help).toBe('A \\ backslash\nand a "quote"');
  });

  it('accepts whitespace inside braces, a trailing comma, tabs, CRLF and empty label sets', () => {
    const samples = only('m{ a = "1" ,\tb="2", } 1\r\nn{} 2\t3\r\n');
    expect(samples).toEqual([
      { labels: { __name__: 'm', a: '1', b: '2' }, t: NOW, v: 1 },
      { labels: { __name__: 'n' }, t: 3, v: 2 },
    ]);
  });

  it('drops empty label values (Prometheus treats them as absent)', () => {
    expect(only('m{a="",b="x"} 1')[0].labels).toEqual({ __name__: 'm', b: 'x' });
  });

  it('accepts metric names with colons and keeps duplicate series', () => {
    const samples = only('job:rate5m 1 10\njob:rate5m 2 20\njob:rate5m 3 20');
    expect(samples.map((s) => [s.t, s.v])).toEqual([
      [10, 1],
      [20, 2],
      [20, 3],
    ]);
  });

  it('parses a series the same way the second time (series text cache)', () => {
    const text = 'cached{b="2",a="1"} 1 10\ncached{b="2",a="1"} 2 20 # {x="y"} 1\ncached{b="2",a="1"}  3\ncached{b="2",a="1"} 4 }';
    for (let round = 0; round < 2; round++) {
      const r = parse(text);
      expect(r.samples).toEqual([
        { labels: { __name__: 'cached', a: '1', b: '2' }, t: 10, v: 1 },
        { labels: { __name__: 'cached', a: '1', b: '2' }, t: 20, v: 2 },
        { labels: { __name__: 'cached', a: '1', b: '2' }, t: NOW, v: 3 },
      ]);
      expect(r.errors.map((e) => e.line)).toEqual([4]);
    }
  });

  it('reads numbers exactly as Number() does, hand-scanned or not', () => {
    const texts = ['0.1', '-0', '-0.0', '123456789012345', '1234567890123456', '0.000000000000001', '9007199254740993', '3.14159265358979', '+12.5', '007', '1e-7'];
    for (let round = 0; round < 2; round++) {
      const samples = only(texts.map((x, i) => `num{i="${i}"} ${x} ${x.replace(/\D/g, '').slice(0, 15) || '0'}`).join('\n'));
      expect(samples.map((s) => s.v)).toEqual(texts.map(Number));
      expect(samples.map((s) => Object.is(s.v, -0))).toEqual(texts.map((x) => Object.is(Number(x), -0)));
    }
    expect(parse('m 1 12345678901234567').errors).toEqual([{ line: 1, message: 'timestamp "12345678901234567" for m is out of range' }]);
    expect(only('m 1 -123456789012345')[0].t).toBe(-123456789012345);
    expect(parse('m 1 1e300\n# EOF', 'openmetrics').errors).toEqual([{ line: 1, message: 'timestamp "1e300" for m is out of range' }]);
  });

  it('groups a batch by series: each distinct series text once, samples in order', () => {
    const r = parseExposition('a{x="1"} 1 10\nb 2 10\na{x="1"} 3 20\na{x="1"} 4 30\n', NOW);
    expect(r.samples.series.map((s) => s.key)).toEqual(['{"__name__":"a","x":"1"}', '{"__name__":"b"}']);
    expect([...r.samples.ref]).toEqual([0, 1, 0, 0]);
    expect([...r.samples.t]).toEqual([10, 10, 20, 30]);
    expect([...r.samples.v]).toEqual([1, 2, 3, 4]);
    const again = parseExposition('b 5 40\n', NOW);
    expect(again.samples.series.map((s) => s.key)).toEqual(['{"__name__":"b"}']);
    expect([...again.samples.ref]).toEqual([0]);
  });

  it('checks a cached series against the metadata of each request and each TYPE line', () => {
    expect(parse('hq_bucket 1').errors).toEqual([]);
    const r = parse('hq_bucket 1\n# TYPE hq histogram\nhq_bucket 2\nhq_bucket{le="1"} 3');
    expect(r.errors).toEqual([{ line: 3, message: 'histogram bucket hq_bucket has no "le" label' }]);
    expect(r.samples.map((s) => s.v)).toEqual([1, 3]);
    expect(parse('hq_bucket 4').errors).toEqual([]);
  });

  it('takes negative and integer millisecond timestamps; missing → receive time', () => {
    expect(only('m 1 -5')[0].t).toBe(-5);
    expect(only('m 1')[0].t).toBe(NOW);
  });

  it('ignores exemplars', () => {
    const samples = only('m_bucket{le="1"} 3 # {trace_id="abc"} 0.5 123\nn 1 5 # {a="b"} 2');
    expect(samples.map((s) => [s.labels.__name__, s.v, s.t])).toEqual([
      ['m_bucket', 3, NOW],
      ['n', 1, 5],
    ]);
  });

  it('reports every bad line by number and keeps the good ones', () => {
    const r = parse(['good 1', 'bad{ 2', 'also_good 3', '4bad 1', 'm{a="1",a="2"} 1'].join('\n'));
    expect(r.samples.map((s) => s.labels.__name__)).toEqual(['good', 'also_good']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 4, 5]);
  });

  it.each([
    ['m{a="1",a="2"} 1', /duplicate label name "a"/],
    ['m{1a="x"} 1', /invalid label name "1a"/],
    ['m{a-b="x"} 1', /expected "=" after label name "a"/],
    ['m{__name__="x"} 1', /__name__ is not allowed/],
    ['{a="1"} 1', /invalid metric name/],
    ['1m 1', /invalid metric name/],
    ['m-x 1', /invalid character "-"/],
    ['m', /expected a value after m/],
    ['m ', /expected a value after m/],
    ['m abc', /invalid value "abc"/],
    ['m 0x10', /invalid value "0x10"/],
    ['m 1 1.5', /integer milliseconds/],
    ['m 1 abc', /invalid timestamp/],
    ['m 1 99999999999999999999', /out of range/],
    ['m 1 2 3', /unexpected text "3"/],
    ['m{a="1"', /unterminated label set/],
    ['m{a="1} 1', /unterminated value of label "a"/],
    ['m{a=1} 1', /expected a quoted value for label "a"/],
    ['m{a="1" b="2"} 1', /expected "," or "}"/],
    ['m 1 # garbage', /invalid exemplar/],
    ['# TYPE m bogus', /invalid metric type "bogus"/],
    ['# TYPE m unknown', /invalid metric type "unknown"/],
    ['# TYPE 9m counter', /invalid metric name "9m"/],
    ['# UNIT m_seconds seconds', /OpenMetrics only/],
  ])('rejects %j', (line, message) => {
    expect(errorOf(line).message).toMatch(message);
  });

  it('rejects a second TYPE or HELP line for the same metric', () => {
    const r = parse('# TYPE m counter\n# TYPE m gauge\n# HELP m a\n# HELP m b\nm 1');
    expect(r.errors).toEqual([
      { line: 2, message: 'second # TYPE line for metric m' },
      { line: 4, message: 'second # HELP line for metric m' },
    ]);
    expect(r.metadata.get('m')).toEqual({ type: 'counter', help: 'a' });
  });

  it('checks histogram buckets and summary quantiles', () => {
    const r = parse('# TYPE h histogram\nh_bucket 1\nh_bucket{le="x"} 1\n# TYPE s summary\ns{quantile="q"} 1\nh_bucket{le="1"} 2');
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'histogram bucket h_bucket has no "le" label'],
      [3, 'invalid "le" label value "x" in h_bucket'],
      [5, 'invalid "quantile" label value "q" in s'],
    ]);
    expect(r.samples).toHaveLength(1);
  });

  it('treats _created as an ordinary series in Prometheus text', () => {
    expect(only('# TYPE c counter\nc_total 1\nc_created 1.7e9').map((s) => s.labels.__name__)).toEqual(['c_total', 'c_created']);
  });
});

describe('OpenMetrics', () => {
  const om = [
    '# TYPE acme_http_router_request_seconds summary',
    '# UNIT acme_http_router_request_seconds seconds',
    '# HELP acme_http_router_request_seconds Latency though all of ACME\'s HTTP request router.',
    'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32',
    'acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0',
    'acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0',
    '# TYPE foo counter',
    'foo_total 17.0 1520879607.789 # {id="counter-test"} 5',
    'foo_created 1520430000.123',
    '# TYPE st stateset',
    'st{st="a"} 1',
    '# TYPE x unknown',
    'x 1',
    '# EOF',
  ].join('\n');

  it('is detected by # EOF; timestamps are seconds; _created is skipped; UNIT is kept', () => {
    const r = parse(om + '\n');
    expect(r.format).toBe('openmetrics');
    expect(r.errors).toEqual([]);
    expect(r.samples.map((s) => [s.labels.__name__, s.v, s.t])).toEqual([
      ['acme_http_router_request_seconds_sum', 9036.32, NOW],
      ['acme_http_router_request_seconds_count', 807283, NOW],
      ['foo_total', 17, 1520879607789],
      ['st', 1, NOW],
      ['x', 1, NOW],
    ]);
    expect(r.metadata.get('acme_http_router_request_seconds')).toEqual({
      type: 'summary',
      unit: 'seconds',
      help: "Latency though all of ACME's HTTP request router.",
    });
    expect(r.metadata.get('x')?.type).toBe('unknown');
  });

  it('is detected by the content type too', () => {
    const r = parseExposition('# TYPE foo counter\nfoo_total 1 2.5', NOW, { contentType: 'application/openmetrics-text; version=1.0.0' });
    expect(r.format).toBe('openmetrics');
    expect(r.samples.t[0]).toBe(2500);
  });

  it.each([
    ['# TYPE c counter\nc 1\n# EOF', /must be named c_total/],
    ['# TYPE m_seconds gauge\n# UNIT m_seconds bytes\n# EOF', /not a suffix/],
    ['# random comment\n# EOF', /OpenMetrics allows only/],
    ['m 1 abc\n# EOF', /OpenMetrics: seconds/],
    ['m 1\n\n# EOF', /empty lines are not allowed/],
    ['# EOF\nm 1', /content after "# EOF"/],
  ])('rejects %j', (text, message) => {
    const r = parse(text);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(message);
  });
});
