/**
 * `toEchartsOption(viz, data)` — a line-by-line port of the Python SDK's `to_echarts_option`
 * (spec §3.11). Pure: no network. Column resolution reads only `data.metadata.binding`; `mapping`,
 * `options.legend`, `bar_max_width` and `pie_donut_ratio` are deliberately never read.
 *
 * Exactness matters because dashboards built from either SDK must look the same: key order, `or 0`
 * fallbacks, `str()` category names and the heatmap axis sort all follow CPython (see ./python.ts).
 * Where Python raises (a row missing a key the pie/heatmap index with `r[key]`) this throws too.
 */
import type { MetricFormatting } from '../types/visualizations.js';
import { pyMax, pyOr, pyStr, pyTruthy, sortAxis } from './python.js';

/** A row of an execute response (keys are response column names). */
export type EchartsRow = Record<string, unknown>;
export interface EchartsColumn {
  name: string;
  type?: string;
}

/** What `toEchartsOption` reads from `data`: an execute response (`ExecuteVisualizationResponse` fits); every part optional. */
export interface EchartsInputData {
  columns?: EchartsColumn[] | null;
  rows?: EchartsRow[] | null;
  metadata?: {
    binding?: {
      x?: string | null;
      y?: string[] | null;
      series?: string | null;
      /** Legacy name of `series`, still honoured when `series` is falsy. */
      series_split_by?: string | null;
      value?: string | null;
    } | null;
  } | null;
}

/** What `toEchartsOption` reads from `viz`: an envelope (`{attributes}`) or bare attributes (`VisualizationAttributes` fits). */
export interface EchartsInputViz {
  attributes?: EchartsInputViz | null;
  title?: string | null;
  chart?: { type?: string | null } | null;
  options?: { metric_formatting?: MetricFormatting | null } | null;
}

export interface EchartsTitle {
  text: string;
  left: 'center';
}

export interface CategoryAxis {
  type: 'category';
  data: string[];
  name: string | null;
}
export interface ValueAxis {
  type: 'value';
}

export interface CartesianSeries {
  name: string;
  type: 'bar' | 'line';
  data: unknown[];
  /** `area` only. */
  areaStyle?: Record<string, never>;
  /** `horizontalBar` only. */
  label?: { show: true; position: 'right' };
}

/** bar / horizontalBar / line / area (and unknown chart types). */
export interface CartesianOption {
  title: EchartsTitle;
  tooltip: { trigger: 'axis' };
  legend: { top: 28 } | { show: false };
  grid: { left: '3%'; right: '8%'; bottom: '8%'; containLabel: true };
  xAxis: CategoryAxis | ValueAxis;
  yAxis: CategoryAxis | ValueAxis;
  series: CartesianSeries[];
}

export interface PieOption {
  title: EchartsTitle;
  tooltip: { trigger: 'item' };
  legend: { orient: 'horizontal'; bottom: 0 };
  series: [{ name: string; type: 'pie'; radius: ['40%', '70%']; data: Array<{ name: string; value: unknown }> }];
}

export interface HeatmapOption {
  title: EchartsTitle;
  tooltip: { position: 'top' };
  xAxis: { type: 'category'; data: string[]; splitArea: { show: true } };
  yAxis: { type: 'category'; data: string[]; splitArea: { show: true } };
  visualMap: { min: 0; max: unknown; calculable: true; orient: 'horizontal'; left: 'center'; bottom: 0 };
  series: [
    {
      name: string;
      type: 'heatmap';
      /** `[x index, y index, value]` per row. */
      data: Array<[number, number, unknown]>;
      label: { show: true; fontSize: 10 };
      emphasis: { itemStyle: { shadowBlur: 10; shadowColor: 'rgba(0, 0, 0, 0.5)' } };
    },
  ];
}

export interface ScatterOption {
  title: EchartsTitle;
  tooltip: { trigger: 'item' };
  xAxis: { type: 'value'; name: string };
  yAxis: { type: 'value'; name: string };
  series: [{ name: string; type: 'scatter'; data: Array<[unknown, unknown]> }];
}

export type EchartsOption = CartesianOption | PieOption | HeatmapOption | ScatterOption;

export interface TableSpec {
  kind: 'table';
  columns: EchartsColumn[];
  rows: EchartsRow[];
  title: string;
}

export interface MetricSpec {
  kind: 'metric';
  title: string;
  label: string;
  value: unknown;
  formatting: MetricFormatting | null;
}

export interface EchartsSpec {
  kind: 'echarts';
  title: string;
  option: EchartsOption;
}

/** The dispatch result of §3.11, discriminated by `kind`. */
export type EchartsResult = TableSpec | MetricSpec | EchartsSpec;

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyOf(key: unknown): string | null {
  if (Array.isArray(key) || isDict(key)) throw new TypeError(`unhashable type: '${Array.isArray(key) ? 'list' : 'dict'}'`);
  // JSON dict keys are strings: None/int/bool keys are simply absent.
  return typeof key === 'string' ? key : null;
}

function asDict(d: unknown): Record<string, unknown> {
  if (!isDict(d)) throw new TypeError(`'${Array.isArray(d) ? 'list' : typeof d}' object has no attribute 'get'`);
  return d;
}

/** Python `d.get(key)` (own keys only: `"constructor"` is not a row column). */
function get(d: unknown, key: unknown): unknown {
  const dict = asDict(d);
  const k = keyOf(key);
  return k !== null && Object.hasOwn(dict, k) ? dict[k] : null;
}

/** Python `d.get(key, fallback)`: the fallback only when the key is absent (an explicit null stays). */
function getOr(d: unknown, key: string, fallback: unknown): unknown {
  const dict = asDict(d);
  return Object.hasOwn(dict, key) ? dict[key] : fallback;
}

/** Python `d[key]`: a missing key raises, as in the reference. */
function index(d: unknown, key: unknown): unknown {
  const dict = asDict(d);
  const k = keyOf(key);
  if (k === null || !Object.hasOwn(dict, k)) throw new Error(`KeyError: ${pyStr(key)}`);
  return dict[k];
}

/** Python `list(v)` of a JSON value. */
function pyList(v: unknown): unknown[] {
  if (Array.isArray(v)) return [...v];
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  throw new TypeError(`'${typeof v}' object is not iterable`);
}

/** First-seen distinct values (a Python set feeding `sorted`, whose tie order is unspecified anyway). */
function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** Map a stored visualization + its executed rows into a renderable spec (spec §3.11, exact). */
export function toEchartsOption(viz: EchartsInputViz | Record<string, unknown>, data: EchartsInputData | Record<string, unknown>): EchartsResult {
  const attrs: unknown = isDict(viz) ? getOr(viz, 'attributes', viz) : {};
  const title = pyOr(get(attrs, 'title'), '') as string;
  const chartType = getOr(pyOr(get(attrs, 'chart'), {}), 'type', 'bar');
  const formatting = get(pyOr(get(attrs, 'options'), {}), 'metric_formatting') as MetricFormatting | null;

  const columns = pyOr(get(data, 'columns'), []) as EchartsColumn[];
  const rows = pyOr(get(data, 'rows'), []) as EchartsRow[];
  const metadata = pyOr(get(data, 'metadata'), {});
  const binding = pyOr(get(metadata, 'binding'), {});

  const x = get(binding, 'x');
  const ys = pyList(pyOr(get(binding, 'y'), [])) as string[];
  const series = pyOr(get(binding, 'series'), get(binding, 'series_split_by'));
  const valueCol = get(binding, 'value');

  if (chartType === 'table') return { kind: 'table', columns, rows, title };

  if (chartType === 'metric' || chartType === 'gauge') {
    let value: unknown = null;
    if (pyTruthy(rows) && valueCol !== null) {
      value = get(rows[0], valueCol);
    } else if (pyTruthy(rows) && pyTruthy(columns)) {
      // Raw query without a binding: the first numeric column.
      for (const c of columns) {
        if (get(c, 'type') === 'number') {
          value = get(rows[0], index(c, 'name'));
          break;
        }
      }
    }
    return { kind: 'metric', title, label: title, value, formatting };
  }

  // Empty result: an empty table so the consumer can show "no data".
  if (!pyTruthy(rows)) return { kind: 'table', columns, rows: [], title };

  const table: TableSpec = { kind: 'table', columns, rows, title };
  let option: EchartsOption;
  if (chartType === 'pie') {
    if (!(pyTruthy(x) && pyTruthy(ys))) return table;
    option = pieOption(title, rows, x as string, ys[0]);
  } else if (chartType === 'heatmap') {
    if (!(pyTruthy(x) && pyTruthy(ys) && pyTruthy(series))) return table;
    option = heatmapOption(title, rows, x as string, ys[0], series as string);
  } else if (chartType === 'scatter') {
    if (!(pyTruthy(x) && pyTruthy(ys))) return table;
    option = {
      title: { text: title } as EchartsTitle,
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', name: x as string },
      yAxis: { type: 'value', name: ys[0] },
      series: [{ name: ys[0], type: 'scatter', data: rows.map((r) => [get(r, x), get(r, ys[0])]) }],
    };
  } else {
    // bar / horizontalBar / line / area / null / unknown: no guard, runs even without a binding.
    option = cartesianOption(chartType, title, rows, x as string | null, ys, series as string | null);
  }

  // Centre every title (the cartesian one already has it, in second position).
  if (isDict(option.title) && !Object.hasOwn(option.title, 'left')) option.title.left = 'center';
  return { kind: 'echarts', title, option };
}

function pieOption(title: string, rows: EchartsRow[], x: string, y: string): PieOption {
  return {
    title: { text: title } as EchartsTitle,
    tooltip: { trigger: 'item' },
    legend: { orient: 'horizontal', bottom: 0 },
    series: [
      {
        name: y,
        type: 'pie',
        radius: ['40%', '70%'],
        data: rows.map((r) => ({ name: pyStr(index(r, x)), value: pyOr(index(r, y), 0) })),
      },
    ],
  };
}

function heatmapOption(title: string, rows: EchartsRow[], x: string, y: string, series: string): HeatmapOption {
  const xs = sortAxis(distinct(rows.map((r) => pyStr(index(r, x)))));
  const yv = sortAxis(distinct(rows.map((r) => pyStr(index(r, series)))));
  const xi = new Map(xs.map((v, i) => [v, i]));
  const yi = new Map(yv.map((v, i) => [v, i]));
  const data = rows.map(
    (r): [number, number, unknown] => [xi.get(pyStr(index(r, x)))!, yi.get(pyStr(index(r, series)))!, pyOr(index(r, y), 0)],
  );
  const vmax = pyOr(
    pyMax(
      data.map((cell) => cell[2]),
      1 as unknown,
    ),
    1,
  );
  return {
    title: { text: title } as EchartsTitle,
    tooltip: { position: 'top' },
    xAxis: { type: 'category', data: xs, splitArea: { show: true } },
    yAxis: { type: 'category', data: yv, splitArea: { show: true } },
    visualMap: { min: 0, max: vmax, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
    series: [
      {
        name: y,
        type: 'heatmap',
        data,
        label: { show: true, fontSize: 10 },
        emphasis: { itemStyle: { shadowBlur: 10, shadowColor: 'rgba(0, 0, 0, 0.5)' } },
      },
    ],
  };
}

function cartesianOption(
  chartType: unknown,
  title: string,
  rows: EchartsRow[],
  x: string | null,
  ys: string[],
  split: string | null,
): CartesianOption {
  const horizontal = chartType === 'horizontalBar';
  const area = chartType === 'area';
  const type = chartType === 'line' || area ? 'line' : 'bar';
  const makeSeries = (name: string, data: unknown[]): CartesianSeries => {
    const s: CartesianSeries = { name, type, data };
    if (area) s.areaStyle = {};
    if (horizontal) s.label = { show: true, position: 'right' };
    return s;
  };

  let xVals: string[];
  let series: CartesianSeries[];
  if (pyTruthy(split) && ys.length > 0) {
    // Pivot: one series per distinct split value, first-seen order; later rows overwrite earlier ones.
    // A Map (not an object) keeps insertion order for integer-like names such as "10" and "9".
    const seen = new Set<string>();
    xVals = [];
    const buckets = new Map<string, Map<string, unknown>>();
    for (const r of rows) {
      const xv = pyStr(get(r, x));
      if (!seen.has(xv)) {
        seen.add(xv);
        xVals.push(xv);
      }
      const sv = pyStr(get(r, split));
      if (!buckets.has(sv)) buckets.set(sv, new Map());
      buckets.get(sv)!.set(xv, get(r, ys[0]));
    }
    series = [...buckets].map(([sv, bucket]) =>
      makeSeries(
        sv,
        xVals.map((xv) => (bucket.has(xv) ? bucket.get(xv) : null)),
      ),
    );
  } else {
    xVals = rows.map((r) => pyStr(get(r, x)));
    series = ys.map((y) =>
      makeSeries(
        y,
        rows.map((r) => get(r, y)),
      ),
    );
  }

  const xAxis: CategoryAxis = { type: 'category', data: xVals, name: x };
  const valueAxis: ValueAxis = { type: 'value' };
  return {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'axis' },
    legend: series.length > 1 ? { top: 28 } : { show: false },
    grid: { left: '3%', right: '8%', bottom: '8%', containLabel: true },
    xAxis: horizontal ? valueAxis : xAxis,
    yAxis: horizontal ? xAxis : valueAxis,
    series,
  };
}
