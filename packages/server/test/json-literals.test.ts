/** What JSON.parse erases: whole-valued floats (`1200.0`) map as double, integers beyond 2^53 stay exact. */
import { describe, expect, it } from 'vitest';
import { jsonLiterals } from '../src/engine/json-literals.js';
import { Mapping } from '../src/engine/mapping.js';

describe('jsonLiterals', () => {
  it('finds whole-valued floats by path, folding arrays and skipping strings', () => {
    expect(jsonLiterals('{"a": 1, "b": 2.5}')).toBeUndefined();
    expect(jsonLiterals('{"price": 1200.0, "qty": 3}')?.wholeFloats).toEqual(new Set(['price']));
    expect(jsonLiterals('{"m": {"x": 1e3, "y": [1.0, 2]}, "s": "1.0", "k\\"": 2.00}')?.wholeFloats).toEqual(new Set(['m.x', 'm.y', 'k"']));
    expect(jsonLiterals('{"v": [{"w": -4.0}], "t": "x 1.0 y"}')?.wholeFloats).toEqual(new Set(['v.w']));
    expect(jsonLiterals('{"a": "1.0", "b": 10}')).toBeUndefined();
  });

  it('keeps integers beyond 2^53 exact, in document order per path', () => {
    const lit = jsonLiterals('{"id": 9007199254740993, "ids": [12345678901234567, 3], "n": 9007199254740991, "s": "9007199254740993"}');
    expect(lit?.bigInts).toEqual(new Map([['id', [9007199254740993n]], ['ids', [12345678901234567n]]]));
  });

  it('lets the mapping type new fields as double and store exact longs', () => {
    const m = new Mapping();
    const text = '{"price": 1200.0, "qty": 2, "trace": 1234567890123456789}';
    const out = m.extract(JSON.parse(text), jsonLiterals(text));
    expect(m.get('price')?.type).toBe('double');
    expect(m.get('qty')?.type).toBe('long');
    expect(out.values.get(m.get('trace')!)).toEqual([1234567890123456789n]);
  });
});
