/** Request bodies as text: ASCII and UTF-8 decode exactly, a BOM is dropped, invalid UTF-8 is a 400. */
import { describe, expect, it } from 'vitest';
import { bodyText } from '../src/http/body.js';

describe('bodyText', () => {
  it('decodes ASCII, UTF-8 and empty bodies', () => {
    expect(bodyText(Buffer.from('m{a="b"} 1 2\n'))).toBe('m{a="b"} 1 2\n');
    expect(bodyText(Buffer.from('m{city="Zürich",emoji="📈"} 1'))).toBe('m{city="Zürich",emoji="📈"} 1');
    expect(bodyText(Buffer.alloc(0))).toBe('');
    expect(bodyText(undefined)).toBe('');
  });

  it('drops a leading byte-order mark', () => {
    expect(bodyText(Buffer.from('\uFEFFm 1'))).toBe('m 1');
  });

  it('rejects invalid UTF-8 as the client error', () => {
    expect(() => bodyText(Buffer.from([0x6d, 0x20, 0xff, 0x31]))).toThrow(/not valid UTF-8/);
    expect(() => bodyText(Buffer.from([0xe2, 0x82]))).toThrow(/not valid UTF-8/);
  });
});
