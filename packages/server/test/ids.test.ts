import { expect, it } from 'vitest';
import { generateId, seqOfId } from '../src/engine/ids.js';

it('auto ids carry their seq, sort by it, and never repeat', () => {
  const seqs = [0, 1, 63, 64, 4095, 123_456_789, 2 ** 53 - 1];
  const ids = seqs.map(generateId);
  for (const [i, id] of ids.entries()) {
    expect(id).toMatch(/^[-0-9A-Z_a-z]{20}$/);
    expect(seqOfId(id)).toBe(seqs[i]);
  }
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(Array.from({ length: 10_000 }, () => generateId(7))).size).toBe(10_000);
});

it('ids of another shape have no seq', () => {
  for (const id of ['1', 'my-document-id', 'x'.repeat(19), 'with space in it 123', 'é'.repeat(20)]) expect(seqOfId(id)).toBeUndefined();
});
