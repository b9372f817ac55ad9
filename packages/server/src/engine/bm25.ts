/**
 * BM25 as Elasticsearch 8 runs it — Lucene's LegacyBM25Similarity (k1 1.2, b 0.75), which keeps
 * the (k1 + 1) factor in the numerator (ES explain shows it as "boost 2.2") — so that rankings
 * and `_score`s match ES on a single shard.
 *
 * Lucene does not keep a document's field length exactly: it stores a one-byte norm
 * (SmallFloat.intToByte4) and scores with the length that byte decodes to. Lengths below 24 are
 * exact; above, only the four most significant bits of (length − 24) survive. We store the decoded
 * length in the postings, so the SQL scorer reads exactly what Lucene would.
 */
export const K1 = 1.2;
export const B = 0.75;

/** Values 0..23 encode themselves (255 minus the int4 encoding of Integer.MAX_VALUE). */
const FREE_VALUES = 24;

/** The field length Lucene scores with: intToByte4 followed by byte4ToInt. */
export function normLength(length: number): number {
  if (length < FREE_VALUES) return length;
  const rest = length - FREE_VALUES;
  if (rest < 8) return length; // int4 "subnormal" values are exact
  const shift = Math.floor(Math.log2(rest)) - 3;
  return FREE_VALUES + Math.floor(rest / 2 ** shift) * 2 ** shift;
}

/** Lucene's BM25 idf: ln(1 + (N − n + 0.5) / (n + 0.5)). */
export const idf = (docCount: number, docFreq: number) => Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

/** The SQL form of the idf, for statistics only known inside the statement. */
export const idfSql = (docCount: string, docFreq: string) =>
  `ln(1 + (${docCount} - ${docFreq} + 0.5) / (${docFreq} + 0.5))`;

/** The SQL of the BM25 term-frequency part tf·(k1 + 1) / (tf + k1 (1 − b + b·dl/avgdl)). */
export const tfNormSql = (tf: string, len: string, avgLength: number) =>
  `(${tf} * ${K1 + 1} / (${tf} + ${K1} * (${1 - B} + ${B} * ${len} / ${sqlNumber(avgLength)})))`;

/** A finite number as a SQL DOUBLE literal. */
export const sqlNumber = (n: number) => (Number.isFinite(n) ? `${n}::DOUBLE` : '0::DOUBLE');

/**
 * A score as Lucene's float32 prints it: the shortest decimal that reads back as the same float
 * (0.2876821, not 0.28768208622932434).
 */
export function float32(x: number): number {
  const f = Math.fround(x);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
