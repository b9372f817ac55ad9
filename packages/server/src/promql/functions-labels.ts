/**
 * Label-manipulating functions (label_replace, label_join, sort_by_label). Regexes are RE2,
 * fully anchored with `.` matching newlines (Prometheus's `^(?s:re)$`), via the parser's translator.
 */
import { type StepSeries, evalError, makeLabels, mergeSameLabelset } from './engine-types.js';
import { compileGoRegex } from './parse-regex.js';

/** A label_replace / matcher regex (RE2 translated by the parser's helper), or undefined when invalid. */
export function compileAnchored(pattern: string): RegExp | undefined {
  try {
    return compileGoRegex(pattern);
  } catch {
    return undefined;
  }
}

/**
 * Prometheus accepts any valid UTF-8 label name but the empty one. Our parser decodes invalid
 * UTF-8 escapes (`"\xff"`) to U+FFFD, so that character stands for "not valid UTF-8" here.
 */
export function validLabelName(name: string): boolean {
  return name !== '' && !name.includes('\uFFFD');
}

/** Go's regexp `Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups expand to "". */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(inner)) {
        out += c;
        continue;
      }
      name = inner;
      end = close;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (!m) {
        out += c;
        continue;
      }
      name = m[0];
      end = i + m[0].length;
    }
    if (/^[0-9]+$/.test(name)) out += match[Number(name)] ?? '';
    else out += match.groups?.[name] ?? '';
    i = end;
  }
  return out;
}

export function labelReplace(series: StepSeries[], dst: string, repl: string, src: string, regex: string): StepSeries[] {
  const re = compileAnchored(regex);
  if (!re) throw evalError(`invalid regular expression in label_replace(): ${regex}`);
  if (!validLabelName(dst)) throw evalError(`invalid destination label name in label_replace(): ${dst}`);
  const out = series.map((s) => {
    const m = re.exec(s.metric[src] ?? '');
    if (!m) return s;
    // Writing the name keeps it: a delayed name removal no longer applies.
    return { ...s, metric: makeLabels({ ...s.metric, [dst]: expandTemplate(repl, m) }), dropName: dst !== '__name__' && s.dropName };
  });
  return mergeSameLabelset(out);
}

export function labelJoin(series: StepSeries[], dst: string, sep: string, srcs: string[]): StepSeries[] {
  for (const src of srcs) if (!validLabelName(src)) throw evalError(`invalid source label name in label_join(): ${src}`);
  if (!validLabelName(dst)) throw evalError(`invalid destination label name in label_join(): ${dst}`);
  const out = series.map((s) => ({
    ...s,
    metric: makeLabels({ ...s.metric, [dst]: srcs.map((l) => s.metric[l] ?? '').join(sep) }),
    dropName: dst !== '__name__' && s.dropName,
  }));
  return mergeSameLabelset(out);
}

/** Natural order (digit runs compare as numbers), as the natsort package sort_by_label uses. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const ca = a.match(re) ?? [];
  const cb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}
