import { randomFillSync } from 'node:crypto';

/**
 * Auto-generated document ids: 20 characters that carry the document's `_seq` (9 characters, 54
 * bits) followed by 66 random bits, in an alphabet whose ASCII order equals its numeric order —
 * so ids sort by creation, and a point get on an auto id can go straight to `_seq`, which
 * DuckDB's zone maps prune to one row group, instead of scanning `_id`.
 */
const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const SEQ_CHARS = 9;
const RANDOM_CHARS = 11;
const ID_LENGTH = SEQ_CHARS + RANDOM_CHARS;
const DIGIT = new Map([...ALPHABET].map((ch, i) => [ch, i]));

// Random bytes come from a pool refilled in bulk: one syscall per ~370 ids, not one per id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
const codes: number[] = new Array(ID_LENGTH);

export function generateId(seq: number): string {
  let rest = seq;
  for (let i = SEQ_CHARS - 1; i >= 0; i--) {
    codes[i] = ALPHABET.charCodeAt(rest % 64);
    rest = Math.floor(rest / 64);
  }
  if (poolOffset + RANDOM_CHARS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  for (let i = 0; i < RANDOM_CHARS; i++) codes[SEQ_CHARS + i] = ALPHABET.charCodeAt(pool[poolOffset++] & 63);
  return String.fromCharCode(...codes);
}

/** The `_seq` an auto-generated id was minted with, or undefined if `id` is not of that form. */
export function seqOfId(id: string): number | undefined {
  if (id.length !== ID_LENGTH) return undefined;
  let seq = 0;
  for (let i = 0; i < ID_LENGTH; i++) {
    const d = DIGIT.get(id[i]);
    if (d === undefined) return undefined;
    if (i < SEQ_CHARS) seq = seq * 64 + d;
  }
  return Number.isSafeInteger(seq) ? seq : undefined;
}
