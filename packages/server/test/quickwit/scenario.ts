/**
 * Loads Quickwit's REST-API scenario folders the way their runner walks them: per folder, the
 * `_ctx.yaml` + `_ctx.<engine>.yaml` defaults (stacked over the parent folder's), then
 * `_setup[.<engine>].yaml`, every other `*.yaml` in name order, the sub-folders in name order, and
 * finally `_teardown[.<engine>].yaml` — so a sub-folder runs while its parent's data still exists.
 * A file is split on lines starting with `---`; chunks that are not mappings (comments only) are
 * dropped, and steps are numbered from 1 among the rest, engine-filtered steps included, so the
 * numbers match a reader counting documents.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ENGINE = 'elasticsearch';

/** One scenario step after the folder defaults are applied. */
export interface Step {
  method?: string | string[];
  endpoint?: string;
  params?: Record<string, unknown>;
  headers?: Record<string, string>;
  json?: unknown;
  ndjson?: unknown[];
  body_from_file?: string;
  /** Absent: 200 expected. Explicit null: any status. */
  status_code?: number | null;
  expected?: unknown;
  engines?: string[];
  [other: string]: unknown;
}

export interface PlannedStep {
  /** Scenario file, relative to the suite root (`bulk/0001-happy-path.yaml`). */
  file: string;
  /** 1-based position among the file's steps. */
  index: number;
  /** Absolute folder of the file, for `body_from_file`. */
  dir: string;
  step: Step;
  methods: string[];
}

export interface FolderPlan {
  /** Folder relative to the suite root; '' for the root. */
  rel: string;
  setup: PlannedStep[];
  scenarios: { file: string; steps: PlannedStep[] }[];
  children: FolderPlan[];
  teardown: PlannedStep[];
  /** Steps dropped because their `engines` list leaves Elasticsearch out. */
  otherEngineSteps: number;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// PyYAML, which upstream uses, lets a later duplicate key win (0021-cat-indices.yaml has one).
const parseYaml = (text: string): unknown => parse(text, { uniqueKeys: false });

const readYaml = (path: string): unknown => parseYaml(readFileSync(path, 'utf8'));

function loadContext(dir: string, inherited: Record<string, unknown>): Record<string, unknown> {
  const ctx = { ...inherited };
  for (const name of ['_ctx.yaml', `_ctx.${ENGINE}.yaml`]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const doc = readYaml(path);
    if (isMapping(doc)) Object.assign(ctx, doc);
  }
  return ctx;
}

/** The file's steps merged over `ctx`, with the ones for other engines counted and dropped. */
function loadScenario(
  root: string,
  dir: string,
  name: string,
  ctx: Record<string, unknown>,
): { steps: PlannedStep[]; otherEngine: number } {
  const rel = join(dir, name).slice(root.length + 1);
  const chunks = readFileSync(join(dir, name), 'utf8').split('\n---');
  const docs = chunks.map((c) => c.trim()).filter((c) => c !== '').map(parseYaml).filter(isMapping);
  const steps: PlannedStep[] = [];
  let otherEngine = 0;
  docs.forEach((doc, i) => {
    const step = { ...ctx, ...doc } as Step;
    if (Array.isArray(step.engines) && !step.engines.includes(ENGINE)) {
      otherEngine++;
      return;
    }
    // Upstream only sends steps that have a method (a folder may give none by default).
    if (step.method === undefined) return;
    const methods = Array.isArray(step.method) ? step.method : [step.method];
    steps.push({ file: rel, index: i + 1, dir, step, methods: methods.map((m) => String(m).toUpperCase()) });
  });
  return { steps, otherEngine };
}

function loadFolder(root: string, dir: string, inherited: Record<string, unknown>): FolderPlan {
  const ctx = loadContext(dir, inherited);
  const entries = readdirSync(dir).sort();
  const plan: FolderPlan = {
    rel: dir.slice(root.length + 1),
    setup: [],
    scenarios: [],
    children: [],
    teardown: [],
    otherEngineSteps: 0,
  };
  const take = (name: string) => {
    const { steps, otherEngine } = loadScenario(root, dir, name, ctx);
    plan.otherEngineSteps += otherEngine;
    return steps;
  };
  for (const kind of ['setup', 'teardown'] as const) {
    for (const name of [`_${kind}.yaml`, `_${kind}.${ENGINE}.yaml`]) {
      if (entries.includes(name)) plan[kind].push(...take(name));
    }
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) plan.children.push(loadFolder(root, path, ctx));
    else if (name.endsWith('.yaml') && !name.startsWith('_')) plan.scenarios.push({ file: path.slice(root.length + 1), steps: take(name) });
  }
  return plan;
}

/** The whole suite under `root`, for the Elasticsearch engine. */
export function loadSuite(root: string): FolderPlan {
  return loadFolder(root, root, {});
}
