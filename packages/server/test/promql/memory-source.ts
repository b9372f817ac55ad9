/**
 * An in-memory SeriesSource for engine tests: add series with samples, select them by matchers
 * the way the metrics store does — regex matchers fully anchored (`^(?:re)$`, RE2-ish), and an
 * empty value standing for "label absent" (`x=""` matches series without x, `x!=""` those with it).
 *
 * Staleness markers are written `'stale'`: V8 canonicalises NaN payloads in plain number arrays
 * (`[t, STALE_NAN]` already holds an ordinary NaN), so the marker only survives in typed arrays and
 * object fields, which is all this class stores it in.
 */
import type { LabelMatcher } from '../../src/promql/ast.js';
import { compileGoRegex } from '../../src/promql/parse-regex.js';
import { type Labels, STALE_NAN, type Series, type SeriesSource, normalizeLabels } from '../../src/promql/values.js';

/** A sample value; `'stale'` is a staleness marker (see below for why not STALE_NAN). */
export type TestValue = number | 'stale';

export class MemorySource implements SeriesSource {
  private readonly series = new Map<string, { metric: Labels; samples: Map<number, { v: number }> }>();
  /** How many select() calls were made (lets tests see that selectors read once per query). */
  selects = 0;

  /** Add samples `[tMs, value]` to the series with these labels (merged by timestamp). */
  add(labels: Record<string, string>, samples: Array<[number, TestValue]>): this {
    const metric = normalizeLabels(labels);
    const key = JSON.stringify(metric);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { metric, samples: new Map() }));
    for (const [t, v] of samples) s.samples.set(t, { v: v === 'stale' ? STALE_NAN : v });
    return this;
  }

  /**
   * promqltest-style loading: `values[i]` at `startMs + i*intervalMs`; `undefined` skips a slot.
   */
  load(labels: Record<string, string>, intervalMs: number, values: Array<TestValue | undefined>, startMs = 0): this {
    const samples: Array<[number, TestValue]> = [];
    values.forEach((v, i) => {
      if (v !== undefined) samples.push([startMs + i * intervalMs, v]);
    });
    return this.add(labels, samples);
  }

  async select(matchers: LabelMatcher[], startMs: number, endMs: number): Promise<Series[]> {
    this.selects++;
    const tests = matchers.map(matcherTest);
    const out: Series[] = [];
    for (const { metric, samples } of this.series.values()) {
      if (!tests.every((t) => t(metric))) continue;
      const times = [...samples.keys()].filter((t) => t >= startMs && t <= endMs).sort((a, b) => a - b);
      if (times.length === 0) continue;
      const t = Float64Array.from(times);
      const v = new Float64Array(times.length);
      times.forEach((x, i) => (v[i] = samples.get(x)!.v));
      out.push({ metric, t, v });
    }
    return out;
  }
}

function matcherTest(m: LabelMatcher): (l: Labels) => boolean {
  switch (m.type) {
    case '=':
      return (l) => (l[m.name] ?? '') === m.value;
    case '!=':
      return (l) => (l[m.name] ?? '') !== m.value;
    case '=~':
    case '!~': {
      const re = compileGoRegex(m.value);
      const want = m.type === '=~';
      return (l) => re.test(l[m.name] ?? '') === want;
    }
  }
}
