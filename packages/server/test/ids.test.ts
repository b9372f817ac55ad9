import { expect, it } from 'vitest';
import { generateId, idSalt, seqOfId } from '../src/engine/ids.js';

it('auto ids carry their seq, sort by it, and differ between datasets', () => {
  const salt = idSalt('2d3c5c1e-6f7a-4e55-9d1b-0a4c1f6e2b77');
  const seqs = [0, 1, 63, 64, 4095, 123_456_789, 2 ** 53 - 1];
  const ids = seqs.map((seq) => generateId(seq, salt));
  for (const [i, id] of ids.entries()) {
    expect(id).toMatch(/^[-0-9A-Z_a-z]{20}$/);
    expect(seqOfId(id)).toBe(seqs[i]);
  }
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(Array.from({ length: 10_000 }, (_, seq) => generateId(seq, salt))).size).toBe(10_000);
  expect(generateId(7, idSalt('another-dataset-uuid'))).not.toBe(generateId(7, salt));
});

it('ids of another shape have no seq', () => {
  for (const id of ['1', 'my-document-id', 'x'.repeat(19), 'with space in it 123', 'é'.repeat(20)]) expect(seqOfId(id)).toBeUndefined();
});
