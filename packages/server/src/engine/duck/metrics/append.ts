/**
 * Samples into a (series_id BIGINT, t BIGINT, v DOUBLE) table through DuckDB's appender, a data
 * chunk at a time, the typed arrays copied column by column: no SQL text, no CSV, no value object
 * per sample. Staleness markers keep their NaN payload (the bytes are copied as they are).
 */
import { BIGINT, DOUBLE, DuckDBDataChunk, type DuckDBAppender } from '@duckdb/node-api';

const CHUNK_ROWS = 2048; // DuckDB's vector size, the most rows a data chunk holds
const TWO_32 = 4294967296;

/** Vector data as the typed arrays @duckdb/node-api keeps behind a vector's `items` (not in its typed API). */
const itemsOf = (chunk: DuckDBDataChunk, column: number) => (chunk.getColumnVector(column) as unknown as { items: BigInt64Array | Float64Array }).items;

/**
 * Appends rows `pick[0..count)` (or 0..count) of the columns: `sid[i]` and `t[i]` are integers
 * (text ingest keeps times in the safe range; remote write's are int64), written as int64 through
 * their 32-bit halves (no BigInt per value).
 */
export function appendSamples(appender: DuckDBAppender, sid: Float64Array, t: Float64Array, v: Float64Array, count: number, pick?: ArrayLike<number>): void {
  const chunk = DuckDBDataChunk.create([BIGINT, BIGINT, DOUBLE]);
  for (let at = 0; at < count; at += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, count - at);
    chunk.rowCount = rows;
    const sidItems = itemsOf(chunk, 0);
    const tItems = itemsOf(chunk, 1);
    const vItems = itemsOf(chunk, 2) as Float64Array;
    const sidWords = new Int32Array(sidItems.buffer, sidItems.byteOffset, rows * 2);
    const tWords = new Int32Array(tItems.buffer, tItems.byteOffset, rows * 2);
    for (let r = 0; r < rows; r++) {
      const i = pick ? pick[at + r] : at + r;
      setInt64(sidWords, r, sid[i]);
      setInt64(tWords, r, t[i]);
      vItems[r] = v[i];
    }
    for (let c = 0; c < 3; c++) chunk.getColumnVector(c).flush();
    appender.appendDataChunk(chunk);
  }
}

/**
 * Int64 `x` (an integer within ±2^63) at slot r of a 32-bit word view, low word first: DuckDB's
 * vectors are in native byte order, little-endian on every platform its Node binaries ship for.
 */
function setInt64(words: Int32Array, r: number, x: number): void {
  const hi = Math.floor(x / TWO_32);
  words[2 * r] = x - hi * TWO_32; // the low word, 0..2^32-1, stored as its two's-complement int32
  words[2 * r + 1] = hi;
}
