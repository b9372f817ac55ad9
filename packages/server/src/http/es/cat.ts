/**
 * `GET /_cat/indices[/{pattern}]`: Elasticsearch's aligned text table, or JSON rows of strings with
 * `format=json`. Supports `v`, `h` (columns, aliases, `*`), `s` (sort keys, `:desc`), `bytes`,
 * `health`; unknown parameters are a 400 as in Elasticsearch.
 */
import type { DatasetStats } from '../../engine/types.js';
import { badRequest } from '../../errors.js';
import { PlainText, type AppRouter, type Ctx } from '../context.js';
import { humanSize } from '../routes/format.js';
import { flag, resolveIndices } from './request.js';

interface Column {
  name: string;
  aliases: string[];
  numeric: boolean;
  value: (s: DatasetStats, size: (bytes: number) => string) => string;
}

const COLUMNS: Column[] = [
  { name: 'health', aliases: ['h'], numeric: false, value: () => 'green' },
  { name: 'status', aliases: ['s'], numeric: false, value: () => 'open' },
  { name: 'index', aliases: ['i', 'idx'], numeric: false, value: (s) => s.name },
  { name: 'uuid', aliases: ['id'], numeric: false, value: (s) => s.uuid },
  { name: 'pri', aliases: ['p', 'shards.primary', 'shardsPrimary'], numeric: true, value: () => '1' },
  { name: 'rep', aliases: ['r', 'shards.replica', 'shardsReplica'], numeric: true, value: () => '0' },
  { name: 'docs.count', aliases: ['dc', 'docsCount'], numeric: true, value: (s) => String(s.docsCount) },
  { name: 'docs.deleted', aliases: ['dd', 'docsDeleted'], numeric: true, value: (s) => String(s.docsDeleted) },
  { name: 'store.size', aliases: ['ss', 'storeSize'], numeric: true, value: (s, size) => size(s.storeSizeBytes) },
  { name: 'pri.store.size', aliases: [], numeric: true, value: (s, size) => size(s.storeSizeBytes) },
  { name: 'dataset.size', aliases: [], numeric: true, value: (s, size) => size(s.storeSizeBytes) },
  { name: 'creation.date', aliases: ['cd'], numeric: true, value: (s) => String(s.createdAt.getTime()) },
  { name: 'creation.date.string', aliases: ['cds'], numeric: false, value: (s) => s.createdAt.toISOString() },
  { name: 'segments.count', aliases: ['sc', 'segmentsCount'], numeric: true, value: (s) => String(s.segmentsCount) },
];
const DEFAULT_COLUMNS = COLUMNS.slice(0, 11);

const PARAMS = new Set([
  'format', 'h', 'v', 's', 'bytes', 'health', 'pri', 'help', 'local', 'master_timeout', 'expand_wildcards', 'time',
  'include_unloaded_segments', 'pretty', 'human', 'error_trace', 'filter_path',
]);

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

const patternOf = (p: string) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** `h=index,docs.*,dc`: names, aliases and wildcards; unknown names are skipped as ES does. */
function selectColumns(h: string | null): Column[] {
  if (h === null || h.trim() === '') return DEFAULT_COLUMNS;
  const out: Column[] = [];
  for (const raw of h.split(',').map((x) => x.trim())) {
    const re = patternOf(raw);
    for (const c of COLUMNS) if ((re.test(c.name) || c.aliases.includes(raw)) && !out.includes(c)) out.push(c);
  }
  return out;
}

function sortRows(rows: DatasetStats[], s: string | null, size: (n: number) => string): void {
  if (s === null || s.trim() === '') {
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return;
  }
  const keys = s.split(',').map((k) => {
    const [name, order = 'asc'] = k.trim().split(':');
    const column = COLUMNS.find((c) => c.name === name || c.aliases.includes(name));
    if (!column) throw badRequest(`Unable to sort by unknown sort key \`${name}\``);
    if (order !== 'asc' && order !== 'desc') throw badRequest(`Unknown sort order [${order}] for sort key [${name}]: use asc or desc`);
    return { column, dir: order === 'desc' ? -1 : 1 };
  });
  const raw = (c: Column, r: DatasetStats): string | number => {
    if (c.name.endsWith('size')) return r.storeSizeBytes;
    const v = c.value(r, size);
    return c.numeric ? Number(v) : v;
  };
  rows.sort((a, b) => {
    for (const { column, dir } of keys) {
      const x = raw(column, a);
      const y = raw(column, b);
      if (x !== y) return (x < y ? -1 : 1) * dir;
    }
    return 0;
  });
}

/** ES's table: every cell padded to its column's width (numbers right-aligned), one space apart. */
function renderTable(columns: Column[], rows: string[][], header: boolean): string {
  const all = header ? [columns.map((c) => c.name), ...rows] : rows;
  const widths = columns.map((_, i) => Math.max(0, ...all.map((r) => r[i].length)));
  return all
    .map((r) => r.map((cell, i) => (columns[i].numeric ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' ') + '\n')
    .join('');
}

async function catIndices(ctx: Ctx): Promise<unknown> {
  const path = `/_cat/indices${ctx.params.index ? `/${ctx.params.index}` : ''}`;
  for (const name of ctx.query.keys()) {
    if (!PARAMS.has(name)) throw badRequest(`request [${path}] contains unrecognized parameter: [${name}]`);
  }
  const bytes = ctx.query.get('bytes');
  if (bytes !== null && !(bytes in BYTE_UNITS)) throw badRequest(`[bytes] must be one of ${Object.keys(BYTE_UNITS).join(', ')}, got [${bytes}]`);
  const size = bytes === null ? humanSize : (n: number) => String(Math.floor(n / BYTE_UNITS[bytes]));
  const health = ctx.query.get('health');
  if (health !== null && !['green', 'yellow', 'red'].includes(health)) throw badRequest(`[health] must be green, yellow or red, got [${health}]`);

  const names = resolveIndices(ctx, ctx.params.index ?? '_all');
  // Every dataset is green: a yellow or red filter matches none.
  const rows = health === null || health === 'green' ? await Promise.all(names.map((n) => ctx.deps.datasets.stats(ctx.principal, n))) : [];
  sortRows(rows, ctx.query.get('s'), size);
  const columns = selectColumns(ctx.query.get('h'));
  const cells = rows.map((r) => columns.map((c) => c.value(r, size)));

  const format = ctx.query.get('format') ?? 'text';
  if (format === 'json') return cells.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i]])));
  if (format !== 'text' && format !== 'txt') throw badRequest(`[format] must be text or json, got [${format}]`);
  return new PlainText(renderTable(columns, cells, flag(ctx.query, 'v')));
}

export function registerCatRoutes(router: AppRouter): void {
  router.add('GET', '/_cat/indices', catIndices);
  router.add('GET', '/_cat/indices/:index', catIndices);
}
