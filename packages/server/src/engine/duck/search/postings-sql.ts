/**
 * Full-text relations read from the postings (one row per (field, term) per write batch: seqs,
 * tfs, normed lengths, flat positions). Each builder returns a SELECT of (seq, score) with one row
 * per matching seq — the currency the query compiler combines. Tombstoned seqs may appear here;
 * the executor drops them once at the end (as Lucene checks live docs after scoring).
 *
 * Scores are Lucene BM25 with the statistics ES uses: the idf's N is the field's doc count and n
 * the term's doc frequency (both still counting deleted docs until a merge, as Lucene does).
 */
import { idfSql, sqlNumber, tfNormSql } from '../../bm25.js';
import type { MappedField } from '../../mapping.js';
import { quoteString } from '../sql.js';

export interface TextFieldStats {
  docCount: number;
  avgLength: number;
}

export interface QueryTerm {
  term: string;
  /** Clauses count toward minimum_should_match; one per query token (repeats are separate clauses). */
  clause: number;
  boost: number;
}

export interface TextScope {
  postings: string;
  field: MappedField;
  stats: TextFieldStats;
}

const inList = (terms: string[]) => [...new Set(terms)].map(quoteString).join(', ');

/** Which dictionary terms to read: exact terms (an index lookup) or a condition on `term` (a scan). */
export type TermFilter = { terms: string[] } | { condition: string };

/**
 * The postings rows of one field whose term passes `filter`, as a parenthesised subquery.
 * Exact terms are looked up alone first — DuckDB uses the term index only when the filter is on
 * `term` by itself — and the (few) rows are filtered by field afterwards.
 */
export function fieldRows(scope: Omit<TextScope, 'stats'>, filter: TermFilter, columns = 'term, seqs, tfs, lens'): string {
  const field = scope.field.postingsId;
  if ('condition' in filter) return `(SELECT ${columns} FROM ${scope.postings} WHERE field = ${field} AND ${filter.condition})`;
  if (filter.terms.length === 0) return `(SELECT ${columns} FROM ${scope.postings} WHERE false)`;
  return `(WITH pt AS MATERIALIZED (SELECT field, ${columns} FROM ${scope.postings} WHERE term IN (${inList(filter.terms)}))
    SELECT ${columns} FROM pt WHERE field = ${field})`;
}

/** Unnests the postings of `filter` with each term's doc frequency. */
function unnested(scope: TextScope, filter: TermFilter): string {
  return `(SELECT term, unnest(seqs) AS seq, unnest(tfs) AS tf, unnest(lens) AS len, df FROM (
      SELECT term, seqs, tfs, lens, sum(len(seqs)) OVER (PARTITION BY term) AS df FROM ${fieldRows(scope, filter)}))`;
}

/**
 * A disjunction of scored term clauses (a `match` query's tokens, or fuzzy expansions) that keeps
 * docs matching at least `required` clauses. `queryTerms` is a SQL relation (term, clause, boost,
 * blended_df) — blended_df NULL means the term's own df.
 */
function clausesRel(scope: TextScope, termFilter: TermFilter, queryTerms: string, required: number): string {
  const df = 'coalesce(q.blended_df, x.df)';
  const score = `q.boost * ${idfSql(sqlNumber(scope.stats.docCount), df)} * ${tfNormSql('x.tf', 'x.len', scope.stats.avgLength)}`;
  return `SELECT seq, sum(score) AS score FROM (
      SELECT x.seq, q.clause, sum(${score}) AS score
      FROM ${unnested(scope, termFilter)} x JOIN ${queryTerms} q ON q.term = x.term
      GROUP BY x.seq, q.clause)
    GROUP BY seq${required > 1 ? ` HAVING count(*) >= ${required}` : ''}`;
}

/** Scored exact terms: `match` tokens, or `term` on a text field. */
export function termsRel(scope: TextScope, terms: QueryTerm[], required: number): string {
  if (terms.length === 0) return emptyRel;
  if (terms.length === 1) {
    // One term: a doc appears once in its postings (in the one run that holds it), so each posting
    // is already a hit — no aggregation over the (possibly hundreds of thousands of) postings.
    const [t] = terms;
    const score = `${sqlNumber(t.boost)} * ${idfSql(sqlNumber(scope.stats.docCount), 'x.df')} * ${tfNormSql('x.tf', 'x.len', scope.stats.avgLength)}`;
    return `SELECT x.seq, ${score} AS score FROM ${unnested(scope, { terms: [t.term] })} x`;
  }
  const values = terms.map((t) => `(${quoteString(t.term)}, ${t.clause}, ${sqlNumber(t.boost)}, NULL::BIGINT)`).join(', ');
  return clausesRel(scope, { terms: terms.map((t) => t.term) }, `(SELECT * FROM (VALUES ${values}) v(term, clause, boost, blended_df))`, required);
}

/**
 * Fuzzy terms as Lucene's top_terms_blended_freqs rewrite scores them: up to `maxExpansions`
 * nearest dictionary terms, each boosted by 1 − edits/min(len) and sharing the largest df.
 */
export function fuzzyRel(
  scope: TextScope,
  tokens: Array<{ term: string; clause: number; boost: number; condition: string }>,
  maxExpansions: number,
  required: number,
): string {
  if (tokens.length === 0) return emptyRel;
  const expansions = tokens.map(
    (t) => `(SELECT term, ${t.clause} AS clause, ${sqlNumber(t.boost)} * greatest(0, 1 - ed / least(strlen(term), ${[...t.term].length})) AS boost,
        max(df) OVER () AS blended_df FROM (
          SELECT term, damerau_levenshtein(term, ${quoteString(t.term)}) AS ed, sum(len(seqs)) AS df
          FROM ${scope.postings} WHERE field = ${scope.field.postingsId} AND ${t.condition}
          GROUP BY term ORDER BY ed, term LIMIT ${maxExpansions}))`,
  );
  const queryTerms = `(${expansions.join(' UNION ALL ')})`;
  return clausesRel(scope, { condition: `term IN (SELECT term FROM ${queryTerms})` }, queryTerms, required);
}

/** Seqs holding any dictionary term that passes `filter` (terms, or prefix, wildcard, regexp, range on text). */
export const termSeqs = (scope: Omit<TextScope, 'stats'>, filter: TermFilter) =>
  `SELECT DISTINCT unnest(seqs) AS seq FROM ${fieldRows(scope, filter, 'seqs')}`;

/**
 * A phrase: `positions[i]` holds the alternatives for the i-th token (one term, or a prefix's
 * expansions — then given as a SQL condition). Lucene's phrase scoring: the idf is the sum of the
 * terms' idfs, the frequency is the number of matches (sloppy: Σ 1/(1 + match length)).
 */
export interface PhrasePosition {
  terms?: string[];
  /** SQL condition on a term column (for a prefix's expansions). */
  condition?: (column: string) => string;
}

export function phraseRel(scope: TextScope, positions: PhrasePosition[], slop: number, boost: number): string {
  const cond = (p: PhrasePosition, column = 'term') => p.condition?.(column) ?? `${column} IN (${inList(p.terms ?? [])})`;
  const exact = positions.every((p) => !p.condition);
  const filter: TermFilter = exact
    ? { terms: positions.flatMap((p) => p.terms ?? []) }
    : { condition: positions.map((p) => `(${cond(p)})`).join(' OR ') };
  const rows = fieldRows(scope, filter, 'term, seqs, tfs, lens, pos');
  const pp = `(SELECT term, unnest(flatten(list_transform(seqs, lambda s, i: list_resize([s], tfs[i], s)))) AS seq,
      unnest(flatten(list_transform(lens, lambda l, i: list_resize([l], tfs[i], l)))) AS len, unnest(pos) AS pos FROM rows)`;
  const idfs = `(SELECT sum(${idfSql(sqlNumber(scope.stats.docCount), 'df')}) FROM (SELECT sum(len(seqs)) AS df FROM rows GROUP BY term))`;
  const joins: string[] = [];
  const offsets: string[] = ['p0.pos'];
  for (let i = 1; i < positions.length; i++) {
    const near = slop === 0 ? `p${i}.pos = p0.pos + ${i}` : `abs((p${i}.pos - ${i}) - p0.pos) <= ${slop}`;
    joins.push(`JOIN pp p${i} ON p${i}.seq = p0.seq AND ${near} AND (${cond(positions[i], `p${i}.term`)})`);
    offsets.push(`p${i}.pos - ${i}`);
  }
  const spread = positions.length > 1 ? `greatest(${offsets.join(', ')}) - least(${offsets.join(', ')})` : '0';
  const freq = slop === 0 ? 'count(*)' : 'sum(contribution)';
  return `WITH rows AS MATERIALIZED ${rows}, pp AS ${pp}
    SELECT seq, ${sqlNumber(boost)} * ${idfs} * ${tfNormSql('freq', 'len', scope.stats.avgLength)} AS score FROM (
      SELECT seq, any_value(len) AS len, ${freq} AS freq FROM (
        SELECT p0.seq, p0.len, p0.pos, max(1.0 / (1 + ${spread})) AS contribution
        FROM pp p0 ${joins.join(' ')}
        WHERE (${cond(positions[0], 'p0.term')})
        GROUP BY p0.seq, p0.len, p0.pos)
      GROUP BY seq)`;
}

export const emptyRel = 'SELECT NULL::BIGINT AS seq, NULL::DOUBLE AS score WHERE false';
