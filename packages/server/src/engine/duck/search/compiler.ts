/**
 * QueryNode → DuckDB SQL over one dataset, in two forms:
 * - `pred(node)`: a boolean over a docs row (filter context, counts, delete-by-query, aggregations);
 * - `rel(node)`: a SELECT of (seq, score), one row per matching seq (scoring context).
 * Exact-value leaves read the typed columns; full-text leaves read the postings. Compound queries
 * combine relations the way Lucene's BooleanQuery, DisjunctionMaxQuery & co. combine scorers.
 */
import { ApiError, badRequest } from '../../../errors.js';
import type { MinimumShouldMatch, NodeOf, QueryNode, Scalar } from '../../../query/ast.js';
import { analyzeTerms } from '../../analysis/standard.js';
import { sqlNumber } from '../../bm25.js';
import type { DatasetState } from '../catalog.js';
import { quoteIdent, quoteString, tables } from '../sql.js';
import { expandFields, type FieldRef, isFullText, pathsUnder, resolveField } from './fields.js';
import {
  anyValue,
  existsPredicate,
  fuzzyDistance,
  fuzzySql,
  literal,
  patternSql,
  type PatternKind,
  RANGE_KEYS,
  RANGE_OPS,
  rangePredicate,
  termPredicate,
} from './leaves.js';
import { rewriteMultiMatch } from './multi-match.js';
import { emptyRel, fuzzyRel, phraseRel, type PhrasePosition, termSeqs, termsRel, type TextFieldStats, type TextScope } from './postings-sql.js';

/** Lucene's default max_expansions for prefix-style expansions in phrase/fuzzy queries. */
const MAX_EXPANSIONS = 50;

export class QueryCompiler {
  private readonly docs: string;
  private readonly postings: string;

  constructor(
    readonly ds: DatasetState,
    private readonly stats: Map<number, TextFieldStats>,
    private readonly now: number,
  ) {
    this.docs = tables(ds.id).docs;
    this.postings = tables(ds.id).postings;
  }

  // ---- predicate form -------------------------------------------------------------------------

  pred(node: QueryNode): string {
    const expanded = expandFieldPattern(node, this.ds);
    if (expanded) return this.pred(expanded);
    switch (node.kind) {
      case 'match_all':
        return 'true';
      case 'match_none':
        return 'false';
      case 'ids':
        return node.values.length ? `_id IN (${node.values.map(quoteString).join(', ')})` : 'false';
      case 'term':
      case 'terms': {
        const ref = resolveField(this.ds, node.field);
        if (!ref) return 'false';
        const values = node.kind === 'term' ? [node.value] : node.values;
        if (!isFullText(ref)) return termPredicate(ref, values, node.kind === 'term' && node.caseInsensitive);
        const terms = values.map((v) => String(v));
        const filter = node.kind === 'term' && node.caseInsensitive ? { condition: `lower(term) = ${quoteString(terms[0].toLowerCase())}` } : { terms };
        return this.seqIn(termSeqs(this.scope(ref), filter));
      }
      case 'terms_set':
        return this.termsSetPred(node);
      case 'range': {
        const ref = resolveField(this.ds, node.field);
        if (!ref) return 'false';
        if (!isFullText(ref)) return rangePredicate(ref, node, this.now);
        const bounds = RANGE_KEYS.filter((k) => node[k] !== undefined).map((k) => `term ${RANGE_OPS[k]} ${quoteString(String(node[k]))}`);
        return this.seqIn(termSeqs(this.scope(ref), { condition: bounds.join(' AND ') || 'true' }));
      }
      case 'exists': {
        const ref = resolveField(this.ds, node.field);
        if (ref) return existsPredicate(ref);
        const under = pathsUnder(this.ds, node.field);
        return under.length ? under.map((p) => `(${this.pred({ kind: 'exists', field: p })})`).join(' OR ') : 'false';
      }
      case 'prefix':
      case 'wildcard':
      case 'regexp':
        return this.patternPred(node.kind, node.field, node.value, node.caseInsensitive);
      case 'fuzzy': {
        const ref = resolveField(this.ds, node.field);
        if (!ref) return 'false';
        const d = fuzzyDistance(node.fuzziness ?? 'AUTO', node.value);
        const test = (x: string) => fuzzySql(x, node.value, d, node.prefixLength, node.transpositions !== false);
        if (!isFullText(ref)) return ref.field.type === 'keyword' || ref.keyword ? anyValue(ref, test) : termPredicate(ref, [node.value]);
        return this.seqIn(termSeqs(this.scope(ref), { condition: test('term') }));
      }
      case 'bool':
        return this.boolPred(node);
      case 'constant_score':
        return this.pred(node.filter);
      case 'boosting':
        return this.pred(node.positive);
      case 'dis_max':
        return node.queries.length ? node.queries.map((q) => `(${this.pred(q)})`).join(' OR ') : 'false';
      case 'function_score':
        return this.pred(node.query);
      case 'multi_match':
        return this.pred(rewriteMultiMatch(node, this.ds));
      case 'match': {
        const ref = resolveField(this.ds, node.field);
        if (ref && !isFullText(ref)) return this.exactMatchPred(ref, node.query, node.lenient);
        return this.seqIn(`SELECT seq FROM (${this.rel(node)})`);
      }
      case 'match_phrase':
      case 'match_phrase_prefix':
      case 'match_bool_prefix':
        return this.seqIn(`SELECT seq FROM (${this.rel(node)})`);
    }
  }

  private boolPred(node: NodeOf<'bool'>): string {
    const parts: string[] = [];
    for (const q of [...node.must, ...node.filter]) parts.push(`(${this.pred(q)})`);
    for (const q of node.mustNot) parts.push(`NOT (${this.pred(q)})`);
    if (node.should.length > 0) {
      const required = minimumShouldMatch(node.minimumShouldMatch, node.should.length, node.must.length + node.filter.length > 0);
      if (required > 0) parts.push(`(${node.should.map((q) => `(${this.pred(q)})::INT`).join(' + ')}) >= ${required}`);
    }
    return parts.length ? parts.join(' AND ') : 'true';
  }

  private termsSetPred(node: NodeOf<'terms_set'>): string {
    const ref = resolveField(this.ds, node.field);
    if (!ref) return 'false';
    const required = node.minimumShouldMatchField
      ? this.numericColumn(node.minimumShouldMatchField)
      : String(node.minimumShouldMatch ?? node.values.length);
    let matched: string;
    if (isFullText(ref)) {
      const terms = node.values.map((v) => quoteString(String(v))).join(', ');
      matched = `coalesce((SELECT n FROM (SELECT seq, count(DISTINCT term) AS n FROM (SELECT term, unnest(seqs) AS seq FROM ${this.postings}
        WHERE field = ${ref.field.postingsId} AND term IN (${terms})) GROUP BY seq) m WHERE m.seq = _seq), 0)`;
    } else if (ref.field.multi) {
      matched = `len(list_intersect(list_distinct(${quoteIdent(ref.field.column)}), [${node.values.map((v) => literal(ref.field, v)).join(', ')}]))`;
    } else {
      matched = `(${termPredicate(ref, node.values)})::INT`;
    }
    return `coalesce(${matched} >= greatest(1, ${required}), false)`;
  }

  private patternPred(kind: PatternKind, path: string, value: string, caseInsensitive?: boolean): string {
    const ref = resolveField(this.ds, path);
    if (!ref) return 'false';
    if (isFullText(ref)) return this.seqIn(termSeqs(this.scope(ref), { condition: patternSql(kind, 'term', value, caseInsensitive) }));
    if (ref.field.type !== 'keyword' && !ref.keyword) {
      throw badRequest(`Can only use ${kind} queries on keyword and text fields - not on [${path}] which is of type [${ref.field.type}]`, 'query_shard_exception');
    }
    return anyValue(ref, (x) => patternSql(kind, x, value, caseInsensitive, ref.field.options?.lowercase));
  }

  /** `match` on a keyword/numeric/date/boolean field is a term query on the whole value. */
  private exactMatchPred(ref: FieldRef, value: Scalar, lenient?: boolean): string {
    try {
      return termPredicate(ref, [value]);
    } catch (e) {
      if (lenient) return 'false';
      throw e;
    }
  }

  /**
   * The score every matching doc gets when it is the same for all (match_all, range, terms,
   * filter-only bools, …), else undefined. The executor then runs the query as a plain filter:
   * no score column to build, materialise and sort.
   */
  constantScore(node: QueryNode): number | undefined {
    switch (node.kind) {
      case 'match_all':
      case 'constant_score':
      case 'range':
      case 'exists':
      case 'terms':
      case 'prefix':
      case 'wildcard':
      case 'regexp':
      case 'ids':
        return node.boost ?? 1;
      case 'match_none':
        return 0;
      case 'term': {
        const ref = resolveField(this.ds, node.field);
        const numeric = ref && !ref.keyword && ['long', 'double', 'date'].includes(ref.field.type);
        return numeric ? (node.boost ?? 1) : undefined;
      }
      case 'bool': {
        if (node.should.length > 0) return undefined;
        if (node.must.length + node.filter.length + node.mustNot.length === 0) return node.boost ?? 1;
        let sum = 0;
        for (const q of node.must) {
          const c = this.constantScore(q);
          if (c === undefined) return undefined;
          sum += c;
        }
        return sum * (node.boost ?? 1);
      }
      default:
        return undefined;
    }
  }

  // ---- relation (scoring) form ----------------------------------------------------------------

  rel(node: QueryNode): string {
    const expanded = expandFieldPattern(node, this.ds);
    if (expanded) return this.rel(expanded);
    switch (node.kind) {
      case 'match_all':
        return `SELECT _seq AS seq, ${sqlNumber(node.boost ?? 1)} AS score FROM ${this.docs}`;
      case 'match_none':
        return emptyRel;
      case 'term': {
        const ref = resolveField(this.ds, node.field);
        if (!ref) return emptyRel;
        if (isFullText(ref) && !node.caseInsensitive) return termsRel(this.textScope(ref), [{ term: String(node.value), clause: 0, boost: node.boost ?? 1 }], 1);
        return this.exactTermRel(ref, node.boost ?? 1, this.pred(node));
      }
      case 'match':
        return this.matchRel(node);
      case 'match_phrase':
        return this.phraseRel(node.field, node.query, node.slop ?? 0, node.boost ?? 1, false, node.zeroTermsQuery);
      case 'match_phrase_prefix':
        return this.phraseRel(node.field, node.query, node.slop ?? 0, node.boost ?? 1, true, undefined, node.maxExpansions);
      case 'match_bool_prefix':
        return this.boolPrefixRel(node);
      case 'multi_match':
        return this.rel(rewriteMultiMatch(node, this.ds));
      case 'bool':
        return this.boolRel(node);
      case 'dis_max': {
        if (node.queries.length === 0) return emptyRel;
        const tie = node.tieBreaker ?? 0;
        const union = node.queries.map((q) => `SELECT * FROM (${this.rel(q)})`).join(' UNION ALL ');
        return `SELECT seq, ${sqlNumber(node.boost ?? 1)} * (max(score) + ${sqlNumber(tie)} * (sum(score) - max(score))) AS score FROM (${union}) GROUP BY seq`;
      }
      case 'constant_score':
        return this.constantRel(node.filter, node.boost ?? 1);
      case 'boosting':
        return `SELECT p.seq, p.score * ${sqlNumber(node.boost ?? 1)} * CASE WHEN n.seq IS NULL THEN 1 ELSE ${sqlNumber(node.negativeBoost)} END AS score
          FROM (${this.rel(node.positive)}) p LEFT JOIN (SELECT _seq AS seq FROM ${this.docs} WHERE ${this.pred(node.negative)}) n ON n.seq = p.seq`;
      case 'function_score':
        return this.functionScoreRel(node);
      default:
        // Everything else scores like Lucene's constant-score rewrites (range, exists, terms, prefix,
        // wildcard, regexp, ids): the boost.
        return this.constantRel(node, ('boost' in node ? node.boost : undefined) ?? 1);
    }
  }

  private constantRel(node: QueryNode, boost: number): string {
    return `SELECT _seq AS seq, ${sqlNumber(boost)} AS score FROM ${this.docs} WHERE ${this.pred(node)}`;
  }

  /**
   * A term on an exact-value field. Keyword and boolean terms are Lucene TermQuerys scored with
   * BM25 on a norm-less field (tf 1, length 1: the tf part is 1, the score the idf); numbers and
   * dates are point queries with a constant score.
   */
  private exactTermRel(ref: FieldRef, boost: number, predicate: string): string {
    if (ref.field.type === 'long' || ref.field.type === 'double' || ref.field.type === 'date') {
      return `SELECT _seq AS seq, ${sqlNumber(boost)} AS score FROM ${this.docs} WHERE ${predicate}`;
    }
    const docCount = `(SELECT count(${quoteIdent(ref.field.column)}) FROM ${this.docs})`;
    const df = 'count(*) OVER ()';
    return `SELECT _seq AS seq, ${sqlNumber(boost)} * ln(1 + (${docCount} - ${df} + 0.5) / (${df} + 0.5)) AS score
      FROM ${this.docs} WHERE ${predicate}`;
  }

  private matchRel(node: NodeOf<'match'>): string {
    const ref = resolveField(this.ds, node.field);
    if (!ref) return emptyRel;
    const boost = node.boost ?? 1;
    if (!isFullText(ref)) {
      const predicate = this.exactMatchPred(ref, node.query, node.lenient);
      return this.exactTermRel(ref, boost, predicate);
    }
    const tokens = analyzeTerms(String(node.query));
    if (tokens.length === 0) return node.zeroTermsQuery === 'all' ? this.rel({ kind: 'match_all' }) : emptyRel;
    // One token is a plain term query in ES: minimum_should_match does not apply to it.
    const required =
      tokens.length === 1 ? 1 : node.operator === 'and' ? tokens.length : minimumShouldMatch(node.minimumShouldMatch, tokens.length, false);
    const scope = this.textScope(ref);
    if (node.fuzziness !== undefined && String(node.fuzziness) !== '0') {
      const fuzzy = tokens.map((term, clause) => {
        const d = fuzzyDistance(node.fuzziness, term);
        return { term, clause, boost, condition: fuzzySql('term', term, d, node.prefixLength ?? 0) };
      });
      return fuzzyRel(scope, fuzzy, node.maxExpansions ?? MAX_EXPANSIONS, required);
    }
    return termsRel(scope, tokens.map((term, clause) => ({ term, clause, boost })), required);
  }

  private phraseRel(
    path: string,
    text: string,
    slop: number,
    boost: number,
    prefix: boolean,
    zeroTerms?: 'none' | 'all',
    maxExpansions = MAX_EXPANSIONS,
  ): string {
    const ref = resolveField(this.ds, path);
    if (!ref) return emptyRel;
    if (!isFullText(ref)) {
      if (prefix) return this.constantRel({ kind: 'prefix', field: path, value: text }, boost);
      return this.exactTermRel(ref, boost, this.exactMatchPred(ref, text));
    }
    const tokens = analyzeTerms(text);
    if (tokens.length === 0) return zeroTerms === 'all' ? this.rel({ kind: 'match_all' }) : emptyRel;
    if (ref.field.options?.docsOnly && tokens.length > 1) {
      throw new ApiError(400, 'query_shard_exception', `failed to create query: field:[${path}] was indexed without position data; cannot run PhraseQuery (phrase=${path}:"${tokens.join(' ')}")`);
    }
    const positions: PhrasePosition[] = tokens.map((t) => ({ terms: [t] }));
    if (prefix) {
      const last = tokens[tokens.length - 1];
      const expansions = `SELECT term FROM ${this.postings} WHERE field = ${ref.field.postingsId} AND starts_with(term, ${quoteString(last)})
        GROUP BY term ORDER BY term LIMIT ${maxExpansions}`;
      positions[positions.length - 1] = { condition: (col) => `${col} IN (${expansions})` };
    }
    return phraseRel(this.textScope(ref), positions, slop, boost);
  }

  /** match_bool_prefix: a bool of term clauses, the last one a (constant-score) prefix. */
  private boolPrefixRel(node: NodeOf<'match_bool_prefix'>): string {
    const tokens = analyzeTerms(node.query);
    if (tokens.length === 0) return emptyRel;
    const clauses: QueryNode[] = tokens.slice(0, -1).map((t) => ({ kind: 'term', field: node.field, value: t }));
    clauses.push({ kind: 'prefix', field: node.field, value: tokens[tokens.length - 1] });
    const and = node.operator === 'and';
    return this.rel({
      kind: 'bool',
      must: and ? clauses : [],
      should: and ? [] : clauses,
      filter: [],
      mustNot: [],
      minimumShouldMatch: node.minimumShouldMatch,
      boost: node.boost,
    });
  }

  private boolRel(node: NodeOf<'bool'>): string {
    if (node.must.length + node.filter.length + node.should.length + node.mustNot.length === 0) {
      return this.rel({ kind: 'match_all', boost: node.boost });
    }
    const boost = sqlNumber(node.boost ?? 1);
    const filters = [...node.filter.map((q) => `(${this.pred(q)})`), ...node.mustNot.map((q) => `NOT (${this.pred(q)})`)];
    const hasRequired = node.must.length + node.filter.length > 0;
    const required = node.should.length ? minimumShouldMatch(node.minimumShouldMatch, node.should.length, hasRequired) : 0;
    const should = node.should.length
      ? `SELECT seq, sum(score) AS score, count(*) AS n FROM (${node.should.map((q) => `SELECT * FROM (${this.rel(q)})`).join(' UNION ALL ')}) GROUP BY seq`
      : undefined;

    let from: string;
    const score: string[] = [];
    if (node.must.length > 0) {
      from = node.must.map((q, i) => (i === 0 ? `(${this.rel(q)}) m0` : `JOIN (${this.rel(q)}) m${i} ON m${i}.seq = m0.seq`)).join(' ');
      node.must.forEach((_, i) => score.push(`m${i}.score`));
    } else if (should && required > 0) {
      // The should clauses drive: only docs matching enough of them can match.
      from = `(${should}) m0`;
      score.push('m0.score');
    } else {
      // Filter/must_not only (Lucene adds a match-all FILTER clause): every doc, score 0.
      from = `(SELECT _seq AS seq, 0::DOUBLE AS score FROM ${this.docs} WHERE ${filters.length ? filters.join(' AND ') : 'true'}) m0`;
      filters.length = 0;
    }
    const where: string[] = [];
    if (filters.length) where.push(`m0.seq IN (SELECT _seq FROM ${this.docs} WHERE ${filters.join(' AND ')})`);
    if (should && !(node.must.length === 0 && required > 0)) {
      from += ` LEFT JOIN (${should}) sh ON sh.seq = m0.seq`;
      score.push('coalesce(sh.score, 0)');
      if (required > 0) where.push(`coalesce(sh.n, 0) >= ${required}`);
    } else if (should && required > 1) {
      where.push(`m0.n >= ${required}`);
    }
    const total = score.length ? score.join(' + ') : '0';
    return `SELECT m0.seq AS seq, ${boost} * (${total}) AS score FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  }

  private functionScoreRel(node: NodeOf<'function_score'>): string {
    const values = node.functions.map((f) => {
      let v = sqlNumber(f.weight ?? 1);
      if (f.fieldValueFactor) {
        const fvf = f.fieldValueFactor;
        const raw = `coalesce(${this.numericColumn(fvf.field)}, ${sqlNumber(fvf.missing ?? 1)})`;
        v = `${v} * ${modifier(fvf.modifier ?? 'none', `${sqlNumber(fvf.factor ?? 1)} * ${raw}`)}`;
      }
      return f.filter ? `CASE WHEN ${this.pred(f.filter)} THEN ${v} END` : v;
    });
    let combined: string;
    if (values.length === 0) combined = '1::DOUBLE';
    else {
      const list = `list_filter([${values.join(', ')}], lambda x: x IS NOT NULL)`;
      const mode = node.scoreMode ?? 'multiply';
      const reduce = {
        multiply: `list_reduce(${list}, lambda a, b: a * b)`,
        sum: `list_sum(${list})`,
        avg: `list_avg(${list})`,
        first: `${list}[1]`,
        max: `list_max(${list})`,
        min: `list_min(${list})`,
      }[mode];
      combined = `CASE WHEN len(${list}) = 0 THEN 1::DOUBLE ELSE ${reduce} END`;
    }
    if (node.maxBoost !== undefined) combined = `least(${combined}, ${sqlNumber(node.maxBoost)})`;
    const q = 'r.score';
    const mode = node.boostMode ?? 'multiply';
    const score = {
      multiply: `${q} * ${combined}`,
      replace: combined,
      sum: `${q} + ${combined}`,
      avg: `(${q} + ${combined}) / 2`,
      max: `greatest(${q}, ${combined})`,
      min: `least(${q}, ${combined})`,
    }[mode];
    const min = node.minScore !== undefined ? ` WHERE ${score} >= ${sqlNumber(node.minScore)}` : '';
    return `SELECT r.seq, ${sqlNumber(node.boost ?? 1)} * ${score} AS score
      FROM (${this.rel(node.query)}) r JOIN ${this.docs} ON ${this.docs}._seq = r.seq${min}`;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private numericColumn(path: string): string {
    const ref = resolveField(this.ds, path);
    if (!ref) return 'NULL::DOUBLE';
    const col = quoteIdent(ref.field.column);
    if (ref.field.type === 'date') return `epoch_ms(${ref.field.multi ? `list_min(${col})` : col})::DOUBLE`;
    if (ref.field.type !== 'long' && ref.field.type !== 'double') {
      throw badRequest(`field [${path}] of type [${ref.field.type}] is not numeric`, 'illegal_argument_exception');
    }
    return `${ref.field.multi ? `list_min(${col})` : col}::DOUBLE`;
  }

  private seqIn(subquery: string): string {
    return `_seq IN (${subquery})`;
  }

  private scope(ref: FieldRef): Omit<TextScope, 'stats'> {
    return { postings: this.postings, field: ref.field };
  }

  private textScope(ref: FieldRef): TextScope {
    const stats = this.stats.get(ref.field.postingsId) ?? { docCount: 0, avgLength: 1 };
    return { postings: this.postings, field: ref.field, stats };
  }
}

/**
 * A term-level leaf on a field pattern (`*`, `user.*` — from query_string) → a dis_max of the
 * same leaf over the matching fields it can apply to (ES is lenient on patterns). undefined when
 * the node has no pattern.
 */
function expandFieldPattern(node: QueryNode, ds: DatasetState): QueryNode | undefined {
  if (!('field' in node) || !node.field.includes('*')) return undefined;
  const applicable = expandFields(ds, [node.field]).filter(({ path }) => {
    const ref = resolveField(ds, path);
    if (!ref) return false;
    const stringy = ref.field.type === 'text' || ref.field.type === 'keyword';
    switch (node.kind) {
      case 'prefix':
      case 'wildcard':
      case 'regexp':
      case 'fuzzy':
        return stringy;
      case 'range':
        return ref.field.type !== 'boolean' && !(ref.keyword && ref.field.type === 'text');
      default:
        return !(ref.keyword && ref.field.type === 'text');
    }
  });
  const queries = applicable.map(({ path }) => ({ ...node, field: path }) as QueryNode);
  if (queries.length === 0) return { kind: 'match_none' };
  return queries.length === 1 ? queries[0] : { kind: 'dis_max', queries };
}

/** ES semantics: default 1 when there is no must/filter, else 0; supports `N`, `-N`, `N%`, `-N%`, `a<b` combinations. */
export function minimumShouldMatch(spec: MinimumShouldMatch | undefined, optional: number, hasRequired: boolean): number {
  if (spec === undefined) return hasRequired ? 0 : 1;
  const s = String(spec).trim();
  // Conditional form: "3<90%" = all if optional ≤ 3, else 90%; several space-separated.
  if (s.includes('<')) {
    let result = optional;
    for (const part of s.split(/\s+/)) {
      const [limit, value] = part.split('<');
      if (optional > Number(limit)) result = minimumShouldMatch(value, optional, hasRequired);
    }
    return result;
  }
  const m = /^(-?)(\d+(?:\.\d+)?)(%?)$/.exec(s);
  if (!m) throw badRequest(`Invalid minimum_should_match [${s}]`, 'illegal_argument_exception');
  const n = Number(m[2]);
  let count = m[3] ? Math.floor((optional * n) / 100) : Math.floor(n);
  if (m[1]) count = optional - count;
  // Not capped at the clause count: asking for more clauses than there are matches nothing (ES).
  count = Math.max(0, count);
  // Without must/filter clauses at least one should clause must match, whatever the spec says.
  return hasRequired ? count : Math.max(1, count);
}

function modifier(name: string, x: string): string {
  switch (name) {
    case 'log': return `log10(${x})`;
    case 'log1p': return `log10(${x} + 1)`;
    case 'log2p': return `log10(${x} + 2)`;
    case 'ln': return `ln(${x})`;
    case 'ln1p': return `ln(${x} + 1)`;
    case 'ln2p': return `ln(${x} + 2)`;
    case 'square': return `pow(${x}, 2)`;
    case 'sqrt': return `sqrt(${x})`;
    case 'reciprocal': return `1 / (${x})`;
    default: return x;
  }
}
