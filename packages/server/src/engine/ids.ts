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

function encode(value: bigint, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(value & 63n)] + out;
    value >>= 6n;
  }
  return out;
}

export function generateId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else counter++;
  // 48 bits of time, 24 bits of counter (carried into time if it overflows), 48 bits of node id.
  const time = BigInt(lastMs + Math.floor(counter / 0x1000000));
  const high = (time << 24n) | BigInt(counter & 0xffffff);
  return encode(high, 12) + encode(BigInt('0x' + node.toString('hex')), 8);
}
