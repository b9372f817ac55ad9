/**
 * Builds one write batch's inverted index: for every (text field, term) one row holding the
 * batch's postings as parallel lists (doc seqs, term frequencies, field lengths, and positions
 * flattened in doc order). One row per term per batch, sorted by term, instead of one row per
 * posting: a term lookup reads one small row per batch, and ingest writes ~50× fewer rows.
 */
import { analyzeTerms } from './analysis/standard.js';

/** Elasticsearch's default position_increment_gap between the values of a multi-valued text field. */
const POSITION_GAP = 100;

export interface PostingsRow {
  field: number;
  term: string;
  seqs: number[];
  tfs: number[];
  lens: number[];
  pos: number[];
}

export class PostingsBuilder {
  private readonly rows = new Map<string, PostingsRow>();

  /** Adds one document's text field (all of its values). Docs must arrive in ascending seq order. */
  add(field: number, seq: number, values: readonly string[]): void {
    const positions = new Map<string, number[]>();
    let length = 0;
    let base = 0;
    for (const value of values) {
      const terms = analyzeTerms(value);
      for (let i = 0; i < terms.length; i++) {
        const list = positions.get(terms[i]);
        if (list) list.push(base + i);
        else positions.set(terms[i], [base + i]);
      }
      length += terms.length;
      base += terms.length + POSITION_GAP;
    }
    for (const [term, pos] of positions) {
      const key = `${field}\u0000${term}`;
      let row = this.rows.get(key);
      if (!row) this.rows.set(key, (row = { field, term, seqs: [], tfs: [], lens: [], pos: [] }));
      row.seqs.push(seq);
      row.tfs.push(pos.length);
      row.lens.push(length);
      for (const p of pos) row.pos.push(p);
    }
  }

  get size(): number {
    return this.rows.size;
  }

  /** Rows sorted by (field, term), the order a term lookup wants on disk. */
  sortedRows(): PostingsRow[] {
    return [...this.rows.values()].sort((a, b) => a.field - b.field || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  }
}
