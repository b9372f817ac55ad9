/**
 * `top_hits`: the best documents of each bucket, kept by DuckDB's bounded `min_by(…, n)` heap when
 * every sort key is numeric (descending keys negated, missing values last as in ES), or by an
 * ordered `list()` when a key is a string. Hits are returned as JSON text (the row reader's lists
 * are not plain arrays) and `_source` is filtered in JS.
 */
import { filterSource } from '../source-filter.js';
import type { TopHitsConf } from './config.js';
import { fielddataError } from './fields.js';
import { illegalArgument } from './errors.js';
import type { MetricSql } from './metrics.js';
import { num, type Row } from './plan.js';
import type { AggContext } from './types.js';

interface SortCol {
  /** The sort value of a row, as the hit's `sort` array shows it (a number, dates as epoch ms, or a string). */
  sql: string;
  asc: boolean;
  numeric: boolean;
}

function sortCol(field: string, asc: boolean, ctx: AggContext): SortCol {
  if (field === '_score') return { sql: '_score', asc, numeric: true };
  if (field === '_doc') return { sql: '_seq::DOUBLE', asc, numeric: true };
  const f = ctx.field(field);
  if (!f) throw illegalArgument(`No mapping found for [${field}] in order to sort on`);
  if (f.analyzed) throw fielddataError(field);
  // ES sorts an array by its smallest value ascending, its largest descending.
  const v = f.multi ? `${asc ? 'list_min' : 'list_max'}(${f.sql})` : f.sql;
  const numeric = f.type !== 'keyword' && f.type !== 'text';
  const n = f.type === 'date' ? `epoch_ms(${v})` : f.type === 'boolean' ? `${v}::INTEGER` : v;
  return { sql: numeric ? `${n}::DOUBLE` : n, asc, numeric };
}

export function compileTopHits(conf: TopHitsConf, id: number, ctx: AggContext): MetricSql {
  const c = (s: string) => `m${id}_${s}`;
  const byFields = conf.sort.length > 0;
  const sorts = byFields ? conf.sort.map((s) => sortCol(s.field, s.asc, ctx)) : [sortCol('_score', false, ctx)];
  const sortValues = byFields ? sorts.map((s, i) => `'v${i}': ${s.sql}`).join(', ') : '';
  // (`_source` is typed JSON: as VARCHAR it stays one string inside to_json, parsed per hit below.)
  const hit = `{'i': _index, 'id': _id, 's': _score, 'src': _source::VARCHAR${sortValues ? `, ${sortValues}` : ''}}`;
  const n = conf.from + conf.size;
  let top: string;
  if (sorts.every((s) => s.numeric)) {
    // One comparable struct: descending keys negated, missing values +∞ (last either way), then doc order.
    const keys = sorts.map((s, i) => `'k${i}': ${s.asc ? '' : '-'}coalesce(${s.sql}, ${s.asc ? "'Infinity'" : "'-Infinity'"}::DOUBLE)`);
    top = `min_by(${hit}, {${[...keys, `'seq': _seq`].join(', ')}}, ${Math.max(n, 1)})`;
  } else {
    const order = sorts.map((s) => `${s.sql} ${s.asc ? 'ASC' : 'DESC'} NULLS LAST`).join(', ');
    top = `list(${hit} ORDER BY ${order}, _seq)[1:${n}]`;
  }
  // Scores are shown when they order the hits (or on request), as in Elasticsearch.
  const trackScores = !byFields || conf.trackScores || conf.sort.some((s) => s.field === '_score');
  return {
    aggs: [`${top} AS ${c('top')}`, `count(*) AS ${c('n')}`, `max(_score) AS ${c('max')}`],
    preps: [],
    outs: [`to_json(${c('top')})::VARCHAR AS ${c('top')}`, `${c('n')}::DOUBLE AS ${c('n')}`, `${c('max')}::DOUBLE AS ${c('max')}`],
    order: () => {
      throw illegalArgument(`Invalid aggregation order path: a top_hits aggregation cannot be used to sort buckets`);
    },
    render: (row) => render(row, conf, c, trackScores),
  };
}

interface StoredHit {
  i: string;
  id: string;
  s: number | null;
  src: string | null;
  [sortValue: string]: unknown;
}

function render(row: Row | undefined, conf: TopHitsConf, c: (s: string) => string, trackScores: boolean): Record<string, unknown> {
  const total = num(row?.[c('n')]) ?? 0;
  const stored: StoredHit[] = row && typeof row[c('top')] === 'string' ? JSON.parse(row[c('top')] as string) : [];
  const score = (s: number | null) => (trackScores && s !== null ? Math.fround(s) : null);
  const maxScore = num(row?.[c('max')]);
  const hits = stored.slice(conf.from, conf.from + conf.size).map((h) => {
    const out: Record<string, unknown> = { _index: h.i, _id: h.id, _score: score(h.s) };
    if (conf.source !== false && h.src !== null) {
      const filtered = filterSource(JSON.parse(h.src) as Record<string, unknown>, conf.source);
      if (filtered !== undefined) out._source = filtered;
    }
    if (conf.sort.length) out.sort = conf.sort.map((s, i) => (s.field === '_score' && typeof h[`v${i}`] === 'number' ? Math.fround(h[`v${i}`] as number) : (h[`v${i}`] ?? null)));
    return out;
  });
  return {
    hits: {
      total: { value: total, relation: 'eq' },
      max_score: trackScores && maxScore !== null && total > 0 ? Math.fround(maxScore) : null,
      hits,
    },
  };
}
