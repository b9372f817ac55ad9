/**
 * Builds one write batch's inverted index: for every (text field, term) one row holding the
 * batch's postings as parallel lists (doc seqs, term frequencies, field lengths, and positions
 * flattened in doc order). One row per term per batch, sorted by term, instead of one row per
 * posting: a term lookup reads one small row per batch, and ingest writes ~50× fewer rows.
 */
import { analyzeTerms } from './analysis/standard.js';
import { normLength } from './bm25.js';
import type { FieldOptions } from './types.js';

/** Elasticsearch's default position_increment_gap between the values of a multi-valued text field. */
const POSITION_GAP = 100;

export class PostingsRow {
  readonly seqs: number[] = [];
  readonly tfs: number[] = [];
  readonly lens: number[] = [];
  readonly pos: number[] = [];
  constructor(
    readonly field: number,
    readonly term: string,
  ) {}

  /** The row as one NDJSON line for DuckDB's read_json (built by hand: it is the ingest hot path). */
  toJsonLine(): string {
    return `{"field":${this.field},"term":${JSON.stringify(this.term)},"seqs":[${this.seqs.join(',')}],"tfs":[${this.tfs.join(',')}],"lens":[${this.lens.join(',')}],"pos":[${this.pos.join(',')}]}\n`;
  }
}

/** Per text field, what BM25 needs of the whole collection: docs holding a token, and all tokens. */
export interface FieldStatsDelta {
  field: number;
  docs: number;
  tokens: number;
}

export class PostingsBuilder {
  private readonly byField = new Map<number, Map<string, PostingsRow>>();
  private readonly stats = new Map<number, FieldStatsDelta>();
  private rows = 0;

  /**
   * Adds one document's text field (all of its values). Docs must arrive one at a time.
   * `norms: false` scores every doc as length 1; `docsOnly` (index_options docs) keeps tf 1 and
   * counts each distinct term once toward the field's total, as Lucene does without frequencies.
   */
  add(field: number, seq: number, values: readonly string[], options?: FieldOptions): void {
    let terms: string[];
    let positions: number[] | undefined;
    if (values.length === 1) terms = analyzeTerms(values[0]);
    else {
      terms = [];
      positions = [];
      let base = 0;
      for (const value of values) {
        const t = analyzeTerms(value);
        for (let i = 0; i < t.length; i++) {
          terms.push(t[i]);
          positions.push(base + i);
        }
        base += t.length + POSITION_GAP;
      }
    }
    let rows = this.byField.get(field);
    if (!rows) this.byField.set(field, (rows = new Map()));
    const length = terms.length;
    const docsOnly = options?.docsOnly === true;
    if (length > 0) {
      const st = this.stats.get(field) ?? { field, docs: 0, tokens: 0 };
      st.docs++;
      st.tokens += docsOnly ? new Set(terms).size : length;
      this.stats.set(field, st);
    }
    // The postings keep the length Lucene's one-byte norm decodes to: it is all scoring uses.
    const norm = options?.norms === false ? 1 : normLength(length);
    for (let i = 0; i < length; i++) {
      const term = terms[i];
      let row = rows.get(term);
      if (!row) {
        rows.set(term, (row = new PostingsRow(field, term)));
        this.rows++;
      }
      // Only this document is being added, so its entries are always the last ones of the row.
      const last = row.seqs.length - 1;
      if (last >= 0 && row.seqs[last] === seq) {
        if (docsOnly) continue; // no frequencies, no positions
        row.tfs[last]++;
      } else {
        row.seqs.push(seq);
        row.tfs.push(1);
        row.lens.push(norm);
      }
      row.pos.push(positions ? positions[i] : i);
    }
  }

  /** This batch's additions to the field statistics (Lucene, too, only subtracts deleted docs on merge). */
  fieldStats(): FieldStatsDelta[] {
    return [...this.stats.values()];
  }

  get size(): number {
    return this.rows;
  }

  /** Rows sorted by (field, term), the order a term lookup wants on disk. */
  sortedRows(): PostingsRow[] {
    const out: PostingsRow[] = [];
    for (const field of [...this.byField.keys()].sort((a, b) => a - b)) {
      const rows = this.byField.get(field)!;
      for (const term of [...rows.keys()].sort()) out.push(rows.get(term)!);
    }
    return out;
  }
}
