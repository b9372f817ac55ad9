/**
 * Peer suite (issue #3): Quickwit's Elasticsearch-compatibility REST scenarios, whose expectations
 * their authors checked against a real Elasticsearch, run against our ES-compatible routes. The
 * scenarios are read in place from `../shared/reference/quickwit-es-compat` (relative to the repo
 * root, or under `$INFINO_SHARED_DIR`; never copied here), and the whole suite is skipped when that
 * folder is absent.
 *
 * One real server; each folder's `_setup` runs in `beforeAll` (its outcome is then asserted step by
 * step, so a broken setup shows up by name), every step of every scenario is one test named
 * `<file> #<step> <method> <endpoint>`, and the `_teardown` steps are tests at the end of their
 * folder. Steps for other engines are dropped; steps on APIs outside the issue are skipped with the
 * reason from quickwit/skips.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './quickwit/expr.js';
import { checkResponse, checkResult, type Observed } from './quickwit/match.js';
import { type Target, sendStep } from './quickwit/request.js';
import { type FolderPlan, type PlannedStep, loadSuite } from './quickwit/scenario.js';
import { SKIPPED_STEPS, skipReason } from './quickwit/skips.js';
import { type TestServer, startTestServer } from './test-server.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// The shared folder sits next to the repo; a clone elsewhere (CI) names it with INFINO_SHARED_DIR.
const SUITE = resolve(process.env.INFINO_SHARED_DIR ?? resolve(REPO_ROOT, '../shared'), 'reference/quickwit-es-compat');
const present = existsSync(SUITE);
if (!present) console.warn(`quickwit-es-compat: ${SUITE} is missing; the peer suite is skipped`);

const AK = 'IAK_QWESCOMPAT000001';
const SK = 'quickwitEsCompatSecret0000000000000000AB';

let running: TestServer | undefined;
const target: Target = { port: 0, authorization: `Basic ${Buffer.from(`${AK}:${SK}`).toString('base64')}` };

/** The last response of each scenario file, for `$previous` (as upstream threads it through a file). */
const previousByFile = new Map<string, unknown>();

async function execute(planned: PlannedStep, method: string): Promise<Observed> {
  const res = await sendStep(target, planned, method, previousByFile.get(planned.file) ?? {});
  previousByFile.set(planned.file, res.json ?? {});
  return res;
}

const stepName = (p: PlannedStep, method: string) => `${p.file} #${p.index} ${method} ${String(p.step.endpoint ?? '')}`;

/** A step listed in the skip table shows up as skipped, its reason in the name. */
const skipTest = (p: PlannedStep, method: string, reason: string) => it.skip(`${stepName(p, method)} — skipped: ${reason}`, () => {});

/** One test per method of a step. */
function stepTests(p: PlannedStep): void {
  const reason = skipReason(p.file, p.index);
  for (const method of p.methods) {
    if (reason) skipTest(p, method, reason);
    else it(stepName(p, method), async () => checkResponse(p.step, await execute(p, method)));
  }
}

/** Setup runs in beforeAll without throwing; each step's outcome is asserted by its own test. */
function setupTests(folder: FolderPlan): void {
  const outcomes = new Map<string, Observed | Error>();
  const key = (p: PlannedStep, method: string) => `${p.index} ${method}`;
  beforeAll(async () => {
    for (const p of folder.setup) {
      if (skipReason(p.file, p.index)) continue;
      for (const method of p.methods) {
        outcomes.set(key(p, method), await execute(p, method).catch((e: Error) => e));
      }
    }
  });
  for (const p of folder.setup) {
    const reason = skipReason(p.file, p.index);
    for (const method of p.methods) {
      if (reason) {
        skipTest(p, method, reason);
        continue;
      }
      it(stepName(p, method), () => {
        const outcome = outcomes.get(key(p, method));
        if (outcome === undefined) throw new Error('setup step did not run');
        if (outcome instanceof Error) throw outcome;
        checkResponse(p.step, outcome);
      });
    }
  }
}

function folderTests(folder: FolderPlan): void {
  setupTests(folder);
  for (const scenario of folder.scenarios) scenario.steps.forEach(stepTests);
  for (const child of folder.children) describe(child.rel, () => folderTests(child));
  folder.teardown.forEach(stepTests);
}

describe.skipIf(!present)(present ? 'quickwit es_compatibility' : `quickwit es_compatibility — skipped: ${SUITE} is missing`, () => {
  beforeAll(async () => {
    running = await startTestServer('quickwit-es', { accessKey: AK, secretKey: SK, esBasicAuth: true });
    target.port = running.server.port;
  });
  afterAll(() => running?.stop());

  if (present) folderTests(loadSuite(SUITE));
});

describe('quickwit runner helpers', () => {
  it('evaluates the $expect forms the scenarios use', () => {
    expect(evaluate('len(val) == 4', [1, 2, 3, 4])).toBe(true);
    expect(evaluate('len(val) > 4', 'abcd')).toBe(false);
    expect(evaluate("not 'actor' in val", { id: 1 })).toBe(true);
    expect(evaluate("'timestamp' in val", 'field [timestamp] failed')).toBe(true);
    expect(evaluate("val.startswith('Malformed action/metadata line [1]')", 'Malformed action/metadata line [1], x')).toBe(true);
    expect(evaluate('270 < float(val[:-2]) < 280', '272.4kb')).toBe(true);
    expect(evaluate('270 < float(val[:-2]) < 280', '282.4kb')).toBe(false);
    expect(evaluate('val["_scroll_id"]', { _scroll_id: 'abc' })).toBe('abc');
    expect(() => evaluate('val.lower()', 'x')).toThrow(/unsupported method/);
  });

  it('matches objects as subsets, arrays by length and element, $expect alone', () => {
    expect(() => checkResult({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] } })).not.toThrow();
    expect(() => checkResult({ a: [1, 2] }, { a: [1] })).toThrow(/wrong length at \.a/);
    expect(() => checkResult({ a: null }, { a: 1 })).toThrow(/missing key `a`/);
    expect(() => checkResult({ a: '1' }, { a: 1 })).toThrow(/wrong type at \.a/);
    expect(() => checkResult({ a: { x: 1 } }, { a: { $expect: 'len(val) == 1', y: 2 } })).not.toThrow();
  });

  it.runIf(present)('every skip-table entry names an existing step', () => {
    const keys = new Set<string>();
    const walk = (f: FolderPlan) => {
      for (const p of [...f.setup, ...f.scenarios.flatMap((s) => s.steps), ...f.teardown]) keys.add(`${p.file} #${p.index}`);
      f.children.forEach(walk);
    };
    walk(loadSuite(SUITE));
    expect(Object.keys(SKIPPED_STEPS).filter((k) => !keys.has(k))).toEqual([]);
  });
});
