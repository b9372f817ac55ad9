import { describe, expect, it } from 'vitest';
import { parseDateString } from '../src/engine/dates.js';
import { MAX_FIELDS, Mapping, MappingError } from '../src/engine/mapping.js';

const typesOf = (m: Mapping) => Object.fromEntries(m.list().map((f) => [f.path, `${f.type}${f.multi ? '[]' : ''}`]));
const valuesOf = (m: Mapping, doc: unknown) =>
  Object.fromEntries([...m.extract(doc).values].map(([f, v]) => [f.path, v]));

describe('dynamic mapping (Elasticsearch semantics)', () => {
  it('types fields on first sight and flattens objects into dotted paths', () => {
    const m = new Mapping();
    m.extract({ s: 'hello', n: 3, f: 1.5, b: true, d: '2024-01-02T03:04:05Z', d2: '2024-01-02', o: { p: { q: 'x' } }, nil: null, empty: [] });
    expect(typesOf(m)).toEqual({ s: 'text', n: 'long', f: 'double', b: 'boolean', d: 'date', d2: 'date', 'o.p.q': 'text' });
    expect(m.get('s')!.column).not.toBe(m.get('n')!.column);
  });

  it('treats dotted keys and nested objects as the same field', () => {
    const m = new Mapping();
    m.extract({ 'user.name': 'a' });
    expect(valuesOf(m, { user: { name: 'b' } })).toEqual({ 'user.name': ['b'] });
    expect(m.list()).toHaveLength(1);
  });

  it('coerces into the established type as ES does (coerce: true)', () => {
    const m = new Mapping();
    m.extract({ n: 1, f: 1.5, t: 'x', b: false, d: '2024-01-01' });
    expect(valuesOf(m, { n: '42', f: '2.5', t: 7, b: 'true', d: 1700000000000 })).toEqual({
      n: [42],
      f: [2.5],
      t: ['7'],
      b: [true],
      d: ['2023-11-14T22:13:20.000Z'],
    });
    expect(valuesOf(m, { n: 3.9 })).toEqual({ n: [3] }); // long truncates
  });

  it('rejects values that cannot be coerced, without changing the mapping', () => {
    const m = new Mapping();
    m.extract({ n: 1, o: { k: 1 } });
    const before = m.list().length;
    expect(() => m.extract({ n: 'abc', brand_new: 1 })).toThrow(MappingError);
    expect(() => m.extract({ n: 'abc' })).toThrow(/failed to parse field \[n\] of type \[long\]/);
    expect(() => m.extract({ o: 'concrete' })).toThrow(/object mapping for \[o\]/);
    expect(() => m.extract({ n: { x: 1 } })).toThrow(/non-object field \[n\]/);
    expect(() => m.extract({ _id: 'x' })).toThrow(/metadata field/);
    expect(() => m.extract({ 'a..b': 1 })).toThrow(/empty/);
    expect(() => m.extract([1])).toThrow(/JSON object/);
    expect(m.list().length).toBe(before);
    expect(m.get('brand_new')).toBeUndefined();
  });

  it('makes a field multi-valued when an array arrives, including arrays of objects', () => {
    const m = new Mapping();
    m.extract({ tag: 'a' });
    const ex = m.extract({ tag: ['b', 'c'], items: [{ id: 1 }, { id: 2 }] });
    expect(ex.promoted.map((f) => f.path)).toEqual(['tag']);
    expect(typesOf(m)).toEqual({ tag: 'text[]', 'items.id': 'long[]' });
    expect(valuesOf(m, { tag: 'single' })).toEqual({ tag: ['single'] });
  });

  it(`stops at ${MAX_FIELDS} fields`, () => {
    const m = new Mapping();
    const wide = Object.fromEntries(Array.from({ length: MAX_FIELDS + 1 }, (_, i) => [`f${i}`, i]));
    expect(() => m.extract(wide)).toThrow(/Limit of total fields/);
    expect(m.list()).toHaveLength(0);
  });

  it('detects dates only in the default ES formats, rejecting impossible ones', () => {
    expect(parseDateString('2024-02-29T12:00:00.123+02:00')).toBe(Date.UTC(2024, 1, 29, 10, 0, 0, 123));
    expect(parseDateString('2024/02/03 04:05:06')).toBe(Date.UTC(2024, 1, 3, 4, 5, 6));
    expect(parseDateString('2023-02-31')).toBeUndefined();
    expect(parseDateString('12/03/2024')).toBeUndefined();
    expect(parseDateString('hello 2024-01-01')).toBeUndefined();
  });
});
