/**
 * Reads the QueryDSL conformance corpus (README.md describes the format) and checks one case's
 * response. Files are validated on load so that a typo in a case key fails loudly instead of
 * silently weakening the case.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { match } from './fragment.js';

export const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));

export interface CorpusCase {
  name: string;
  dataset: string;
  /** The search body as an object (sent as JSON)… */
  body?: unknown;
  /** …or as raw text, for malformed-JSON cases. */
  body_text?: string;
  /** Expected HTTP status (default 200). */
  status?: number;
  /** Shorthand for `hits.total` = `{value: total, relation: "eq"}`. */
  total?: number;
  expect_ids?: string[];
  expect_ids_unordered?: string[];
  expect?: unknown;
  /** Why the expectation is what it is (documentation only). */
  note?: string;
  /** When set, the case is reported as skipped with this reason. */
  skip?: string;
}

export interface CorpusFile {
  file: string;
  description: string;
  cases: CorpusCase[];
}

export type Datasets = Record<string, Array<Record<string, unknown> & { _id: string }>>;

const CASE_KEYS = new Set(['name', 'dataset', 'body', 'body_text', 'status', 'total', 'expect_ids', 'expect_ids_unordered', 'expect', 'note', 'skip']);

function validate(file: string, c: CorpusCase): void {
  const where = `${file}: case ${JSON.stringify(c.name)}`;
  for (const k of Object.keys(c)) if (!CASE_KEYS.has(k)) throw new Error(`${where}: unknown key "${k}"`);
  if (typeof c.name !== 'string' || typeof c.dataset !== 'string') throw new Error(`${where}: name and dataset are required`);
  if ((c.body === undefined) === (c.body_text === undefined)) throw new Error(`${where}: exactly one of body / body_text`);
  const checks = c.total !== undefined || c.expect_ids || c.expect_ids_unordered || c.expect !== undefined;
  if (!checks) throw new Error(`${where}: asserts nothing`);
}

export function loadDatasets(): Datasets {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'datasets.json'), 'utf8')) as Datasets;
}

/** Every `*.json` corpus file except the datasets, in name order. */
export function loadCorpus(): CorpusFile[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'datasets.json')
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8')) as Omit<CorpusFile, 'file'>;
      const names = new Set<string>();
      for (const c of parsed.cases) {
        validate(file, c);
        if (names.has(c.name)) throw new Error(`${file}: duplicate case name ${JSON.stringify(c.name)}`);
        names.add(c.name);
      }
      return { file, ...parsed };
    });
}

function hitIds(response: unknown): string[] | undefined {
  const hits = (response as { hits?: { hits?: Array<{ _id?: unknown }> } } | undefined)?.hits?.hits;
  return Array.isArray(hits) ? hits.map((h) => String(h._id)) : undefined;
}

/** Mismatches between a case's expectations and the status and body the server answered with. */
export function checkCase(c: CorpusCase, status: number, response: unknown): string[] {
  const want = c.status ?? 200;
  if (status !== want) return [`status: expected ${want}, got ${status}`];
  const problems: string[] = [];
  if (c.total !== undefined) problems.push(...match({ value: c.total, relation: 'eq' }, (response as { hits?: { total?: unknown } })?.hits?.total, '$.hits.total', true));
  const ids = hitIds(response);
  if (c.expect_ids && JSON.stringify(ids) !== JSON.stringify(c.expect_ids)) {
    problems.push(`hit ids: expected ${JSON.stringify(c.expect_ids)}, got ${JSON.stringify(ids)}`);
  }
  if (c.expect_ids_unordered) {
    const sorted = (xs: string[] | undefined) => JSON.stringify(xs ? [...xs].sort() : xs);
    if (sorted(ids) !== sorted(c.expect_ids_unordered)) {
      problems.push(`hit ids (any order): expected ${JSON.stringify(c.expect_ids_unordered)}, got ${JSON.stringify(ids)}`);
    }
  }
  if (c.expect !== undefined) problems.push(...match(c.expect, response));
  return problems;
}
