import { describe, expect, it } from 'vitest';
import { analyzeTerms, analyzeTermsGeneral, analyzeTokens } from '../src/engine/analysis/standard.js';
import { mulberry32 } from './prng.js';

const rng = mulberry32;

describe('standard analyzer: Elasticsearch examples', () => {
  it('ES documentation example', () => {
    expect(analyzeTerms("The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.")).toEqual([
      'the', '2', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', "dog's", 'bone',
    ]);
  });

  it('ES documentation example with max_token_length 5 (long tokens are split)', () => {
    expect(analyzeTerms("The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.", 5)).toEqual([
      'the', '2', 'quick', 'brown', 'foxes', 'jumpe', 'd', 'over', 'the', 'lazy', "dog's", 'bone',
    ]);
  });
});

describe('standard analyzer: ASCII rules', () => {
  const cases: Array<[string, string[]]> = [
    // emails / URLs
    ['john.smith@example.com', ['john.smith', 'example.com']],
    ['https://www.elastic.co/guide/en/index.html?q=Foo&x=1', ['https', 'www.elastic.co', 'guide', 'en', 'index.html', 'q', 'foo', 'x', '1']],
    // numbers
    ['3.14', ['3.14']],
    ['1,000.5', ['1,000.5']],
    ['v1.2.3', ['v1.2.3']],
    ['192.168.0.1', ['192.168.0.1']],
    ['$1,000;2', ['1,000;2']],
    ['10:30', ['10', '30']], // ':' is MidLetter, not MidNum
    ['a.1 1.a 1. .5', ['a', '1', '1', 'a', '1', '5']],
    ['abc123 1a A1B2', ['abc123', '1a', 'a1b2']],
    // apostrophes / MidLetter / MidNumLet
    ["O'Neil dogs' 'quoted' rock 'n' roll", ["o'neil", 'dogs', 'quoted', 'rock', 'n', 'roll']],
    ["1'000 it's", ["1'000", "it's"]],
    ['U.S.A. e.g.', ['u.s.a', 'e.g']],
    ['foo:bar a::b', ['foo:bar', 'a', 'b']],
    ['a..b a.,b 1,,2', ['a', 'b', 'a', 'b', '1', '2']],
    // underscores (ExtendNumLet)
    ['foo_bar _foo foo_ __init__ snake_case_123', ['foo_bar', '_foo', 'foo_', '__init__', 'snake_case_123']],
    ['_ ___ _._ a', ['a']],
    ['a_.b 1_.2 a._b', ['a_', 'b', '1_', '2', 'a', '_b']],
    // hyphens and other separators
    ['e-mail 2021-01-05 state-of-the-art', ['e', 'mail', '2021', '01', '05', 'state', 'of', 'the', 'art']],
    ['C++ C# f(x)=y/z a|b <tag> #hash @user *star*', ['c', 'c', 'f', 'x', 'y', 'z', 'a', 'b', 'tag', 'hash', 'user', 'star']],
    ['tab\tnew\nline\r\ncr', ['tab', 'new', 'line', 'cr']],
    // nothing to emit
    ['', []],
    ['   ', []],
    ['!!! ... --- ,,, ;;; ::: \'\'\' """ ___ ?!', []],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => {
      expect(analyzeTerms(input)).toEqual(expected);
      expect(analyzeTermsGeneral(input)).toEqual(expected);
    });
  }
});

describe('standard analyzer: max token length', () => {
  it('splits tokens longer than 255 at 255 chars', () => {
    const long = 'A'.repeat(300);
    expect(analyzeTerms(`x ${long} y`)).toEqual(['x', 'a'.repeat(255), 'a'.repeat(45), 'y']);
    expect(analyzeTerms('a'.repeat(255))).toEqual(['a'.repeat(255)]);
    expect(analyzeTerms('a'.repeat(256))).toEqual(['a'.repeat(255), 'a']);
    expect(analyzeTerms('a'.repeat(600))).toEqual(['a'.repeat(255), 'a'.repeat(255), 'a'.repeat(90)]);
  });

  it('the cut takes the longest match within 255 chars', () => {
    // 'a'*254 + '.bc': the '.' cannot end a token, so the first token is 254 long.
    expect(analyzeTerms('a'.repeat(254) + '.bc')).toEqual(['a'.repeat(254), 'bc']);
    expect(analyzeTerms('a'.repeat(255) + "'s")).toEqual(['a'.repeat(255), 's']);
  });

  it('applies to non-ASCII text too', () => {
    expect(analyzeTerms('É'.repeat(300))).toEqual(['é'.repeat(255), 'é'.repeat(45)]);
    const toks = analyzeTokens('ü'.repeat(256));
    expect(toks.map((t) => [t.startOffset, t.endOffset])).toEqual([[0, 255], [255, 256]]);
  });
});

describe('standard analyzer: non-ASCII', () => {
  const cases: Array<[string, string[]]> = [
    ['Café Müller', ['café', 'müller']],
    ['Cafe\u0301 na\u0308ive', ['cafe\u0301', 'na\u0308ive']], // combining marks stay attached (WB4)
    ['Привет, МИР! Ёлка', ['привет', 'мир', 'ёлка']],
    ['Ελληνικά ΟΔΟΣ', ['ελληνικά', 'οδοσ']], // Java lower-casing: no final sigma
    ['İstanbul', ['istanbul']], // Java: U+0130 → 'i' (JS toLowerCase gives "i̇")
    ['中文分词', ['中', '文', '分', '词']],
    ['ひらがな', ['ひ', 'ら', 'が', 'な']],
    ['カタカナ テスト_abc', ['カタカナ', 'テスト_abc']],
    ['東京タワーtower', ['東', '京', 'タワー', 'tower']],
    ['안녕하세요 세계', ['안녕하세요', '세계']],
    ['สวัสดีครับ ภาษาไทย', ['สวัสดีครับ', 'ภาษาไทย']],
    ['שלום עולם צה"ל', ['שלום', 'עולם', 'צה"ל']],
    ['مرحبا بالعالم ١٢٣', ['مرحبا', 'بالعالم', '١٢٣']],
    ['don’t l·l 3,5 km²', ['don’t', 'l·l', '3,5', 'km']],
    ['co\u00ADoperate', ['co\u00ADoperate']], // soft hyphen is Format (WB4)
    ['\u0301alone', ['alone']], // a leading combining mark is dropped
    ['𝒜bc ＡＢＣ １２３', ['𝒜bc', 'ａｂｃ', '１２３']],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => {
      expect(analyzeTerms(input)).toEqual(expected);
    });
  }

  it('mixed ASCII / non-ASCII', () => {
    expect(analyzeTerms('Hello 世界 world, naïve café at 3.14€ john.smith@example.com')).toEqual([
      'hello', '世', '界', 'world', 'naïve', 'café', 'at', '3.14', 'john.smith', 'example.com',
    ]);
  });

  it('emoji sequences are tokens', () => {
    expect(analyzeTerms('I ❤️ pizza 🍕!')).toEqual(['i', '❤️', 'pizza', '🍕']);
    expect(analyzeTerms('👍🏽 👨‍👩‍👧 🇺🇸 1️⃣ #️⃣')).toEqual(['👍🏽', '👨‍👩‍👧', '🇺🇸', '1️⃣', '#️⃣']);
    expect(analyzeTerms('🇺🇸🇫🇷')).toEqual(['🇺🇸', '🇫🇷']);
    expect(analyzeTerms('abc😀def')).toEqual(['abc', '😀', 'def']);
  });

  it('ASCII parts tokenize the same whatever the rest of the text is', () => {
    const ascii = "foo:bar O'Neil 3.14 __x__ a_.b 1,000 john.smith@example.com";
    const expected = analyzeTerms(ascii);
    expect(analyzeTerms(`${ascii} café`)).toEqual([...expected, 'café']);
    expect(analyzeTerms(`中 ${ascii}`)).toEqual(['中', ...expected]);
  });
});

describe('standard analyzer: tokens and offsets', () => {
  it('ASCII offsets and positions', () => {
    expect(analyzeTokens("Hello, World! dog's_bone")).toEqual([
      { term: 'hello', position: 0, startOffset: 0, endOffset: 5 },
      { term: 'world', position: 1, startOffset: 7, endOffset: 12 },
      { term: "dog's_bone", position: 2, startOffset: 14, endOffset: 24 },
    ]);
  });

  it('non-ASCII offsets are UTF-16 offsets into the original text', () => {
    const text = 'İx 𝒜bc 中文 ΟΔΟΣ 👍🏽';
    const toks = analyzeTokens(text);
    expect(toks.map((t) => t.term)).toEqual(['ix', '𝒜bc', '中', '文', 'οδοσ', '👍🏽']);
    for (const [k, t] of toks.entries()) {
      expect(t.position).toBe(k);
      expect(text.slice(t.startOffset, t.endOffset).length).toBe(t.endOffset - t.startOffset);
    }
    expect(toks.map((t) => text.slice(t.startOffset, t.endOffset))).toEqual(['İx', '𝒜bc', '中', '文', 'ΟΔΟΣ', '👍🏽']);
    expect(toks[1]).toMatchObject({ startOffset: 3, endOffset: 7 });
  });

  it('analyzeTokens terms equal analyzeTerms', () => {
    const text = "The 2 QUICK Brown-Foxes jumped over the lazy dog's bone. Café 中文 🍕";
    expect(analyzeTokens(text).map((t) => t.term)).toEqual(analyzeTerms(text));
  });
});

describe('standard analyzer: properties', () => {
  const alphabet = ['a', 'b', 'Z', 'e', 'x', '0', '1', '9', '_', '.', "'", ',', ';', ':', ' ', ' ', '-', '@', '/', '"', '!', '#', '\t'];
  function randomAscii(next: () => number): string {
    const len = Math.floor(next() * 40);
    let s = '';
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  }

  it('ASCII fast path equals the general scanner', () => {
    const next = rng(42);
    for (let k = 0; k < 20000; k++) {
      const s = randomAscii(next);
      expect(analyzeTerms(s), JSON.stringify(s)).toEqual(analyzeTermsGeneral(s));
    }
    // also with a small max token length
    for (let k = 0; k < 5000; k++) {
      const s = randomAscii(next);
      expect(analyzeTerms(s, 3), JSON.stringify(s)).toEqual(analyzeTermsGeneral(s, 3));
    }
  });

  it('ASCII fast path agrees with Intl.Segmenter (ICU UAX#29) on ASCII', () => {
    const seg = new Intl.Segmenter('en', { granularity: 'word' });
    // ICU marks underscore-only segments ("__") word-like; Lucene drops them.
    const reference = (s: string): string[] =>
      [...seg.segment(s)]
        .filter((x) => x.isWordLike && /[A-Za-z0-9]/.test(x.segment))
        .map((x) => x.segment.toLowerCase());
    const next = rng(7);
    for (let k = 0; k < 20000; k++) {
      const s = randomAscii(next);
      expect(analyzeTerms(s), JSON.stringify(s)).toEqual(reference(s));
    }
  });

  it('throughput (informational)', () => {
    const words = ['the', 'quick', 'Brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'error', 'timeout', 'user_id', '404', 'GET', '/api/v1/items', '3.14', "don't", 'host-01.example.com', 'request', 'failed', 'connection'];
    const next = rng(1);
    const docs: string[] = [];
    for (let d = 0; d < 2000; d++) {
      let s = '';
      for (let w = 0; w < 200; w++) s += words[Math.floor(next() * words.length)] + (next() < 0.1 ? '. ' : ' ');
      docs.push(s);
    }
    const run = (label: string, ds: string[]): void => {
      let tokens = 0;
      for (const d of ds) tokens += analyzeTerms(d).length; // warm-up
      tokens = 0;
      const t0 = performance.now();
      for (let r = 0; r < 3; r++) for (const d of ds) tokens += analyzeTerms(d).length;
      const ms = performance.now() - t0;
      console.log(`[analysis] ${label}: ${tokens} tokens in ${ms.toFixed(0)} ms = ${((tokens / ms) * 1000 / 1e6).toFixed(2)} M tokens/s`);
    };
    run('ASCII', docs);
    run('non-ASCII (one é per doc)', docs.map((d) => `${d} café`));
    expect(true).toBe(true);
  });
});
