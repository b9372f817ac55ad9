import { randomBytes } from 'node:crypto';

/**
 * Auto-generated document ids: 20 characters, time-ordered like Elasticsearch's, in an alphabet
 * whose ASCII order equals its numeric order so that ids sort by creation time. DuckDB's min/max
 * zone maps then prune a point lookup to the few row groups written at that time.
 */
const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const node = randomBytes(6);
let lastMs = 0;
let counter = 0;

const codes: number[] = new Array(20);

/** Writes `chars` base-64 digits of `value` into `codes` ending at `end` (one flat string later). */
function encode(value: bigint, chars: number, end: number): void {
  for (let i = 1; i <= chars; i++) {
    codes[end - i] = ALPHABET.charCodeAt(Number(value & 63n));
    value >>= 6n;
  }
}

const NODE = BigInt('0x' + node.toString('hex'));

export function generateId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else counter++;
  // 48 bits of time, 24 bits of counter (carried into time if it overflows), 48 bits of node id.
  const time = BigInt(lastMs + Math.floor(counter / 0x1000000));
  const high = (time << 24n) | BigInt(counter & 0xffffff);
  encode(high, 12, 12);
  encode(NODE, 8, 20);
  return String.fromCharCode(...codes);
}
