/**
 * Elasticsearch `standard` analyzer equivalent: Lucene's StandardTokenizer
 * (Unicode UAX #29 word-break rules, as Lucene's JFlex grammar applies them)
 * followed by a LowerCaseFilter. No stop words; max_token_length 255.
 *
 * Used at ingest (hot path) and at query time, so both sides go through the
 * exact same code: there is one grammar, implemented twice — a specialised
 * scanner for pure-ASCII input and a general code-point scanner — and the two
 * agree on every ASCII string (the tests check this). Which scanner runs never
 * changes the tokens of an ASCII substring, so a query "foo:bar" tokenizes the
 * same as "foo:bar" inside a document that also contains "Müller".
 *
 * Lucene grammar summary (what a token is):
 * - WORD:   letters (ALetter / Hebrew_Letter), digits (Numeric) and `_`
 *           (ExtendNumLet) join freely (WB5, WB8-10, WB13a/b); a MidLetter `:`
 *           or MidNumLet `.` / `'` joins two letters (WB6/7); MidNum `,` `;` or
 *           MidNumLet `.` / `'` joins two digits (WB11/12). Leading/trailing `_`
 *           belong to the token, but a run of `_` alone is not a token.
 *           Katakana runs join each other and, through `_`, letters/digits.
 *           A Hebrew letter keeps a following `'` (WB7a) and `"` between two
 *           Hebrew letters (WB7b/c).
 * - Extend/Format/ZWJ characters (combining marks, soft hyphen, ...) attach to
 *   the preceding character (WB4); on their own they are dropped.
 * - Each Han ideograph and each Hiragana character is its own token.
 * - Runs of South-East-Asian (Line_Break=Complex_Context: Thai, Lao, Myanmar,
 *   Khmer, ...) letters are one token each (no dictionary segmentation).
 * - Emoji sequences (presentation / modifier / ZWJ / tag / keycap / flag
 *   sequences, per Lucene's <EMOJI> rule) are tokens.
 * - Everything else (spaces, punctuation, symbols) separates tokens.
 * - Tokens longer than maxTokenLength UTF-16 units are split: the scanner takes
 *   the longest match within maxTokenLength units and resumes after it (this is
 *   Lucene's JFlex buffer cap; ES docs: "jumped" with max 5 → "jumpe", "d").
 *
 * Lower-casing follows Java's per-code-point `Character.toLowerCase` (simple
 * case mapping): 'İ' (U+0130) → 'i' (JS would give "i̇"), and 'Σ' → 'σ' always
 * (JS applies the context-sensitive final sigma 'ς').
 *
 * Deliberate / known deviations from Lucene (ES 8.x, Lucene 9.x, grammar built
 * with Unicode 9 data):
 * - Character properties come from the JS engine's Unicode tables (Node 20:
 *   Unicode 15) via regex property escapes, approximating the Word_Break
 *   classes (ALetter ≈ Alphabetic ∖ Ideographic ∖ marks ∖ SA/Han/Kana,
 *   Numeric ≈ Nd, Complex_Context ≈ letters of the SA scripts). Characters
 *   assigned after Unicode 9 are tokenized here but ignored by Lucene.
 * - Offsets are UTF-16 code-unit offsets (same as Lucene's char offsets).
 * - A cut at maxTokenLength never splits a surrogate pair (the cut moves one
 *   unit earlier).
 * - Pathological keycap sequences with several U+20E3 are not handled exactly.
 */

export interface Token {
  term: string;
  position: number;
  startOffset: number;
  endOffset: number;
}

/** Elasticsearch's default `max_token_length` for the standard tokenizer. */
export const DEFAULT_MAX_TOKEN_LENGTH = 255;

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

const OTHER = 0;
const ALETTER = 1;
const HEBREW = 2;
const NUMERIC = 3;
const KATAKANA = 4;
const EXTNUMLET = 5;
const MIDLETTER = 6;
const MIDNUMLET = 7;
const SQUOTE = 8;
const DQUOTE = 9;
const MIDNUM = 10;
const EXTEND = 11; // WB Extend | Format
const ZWJ = 12;
const HAN = 13;
const HIRAGANA = 14;
const SEA = 15; // Line_Break = Complex_Context
const RI = 16; // Regional_Indicator
const CLASS_MASK = 31;

// Emoji flags (high bits of the info byte).
const EMOJI_CHAR = 32; // Extended_Pictographic | Emoji ∖ (RI, [0-9#*], ©®™〰〽, modifiers)
const MOD_BASE = 64;
const MODIFIER = 128;

// Scanner state for the word rule (superset of classes: HQ = Hebrew letter + ').
const S_NONE = 0;
const S_HQ = 17;

/** ASCII classes (Word_Break values of U+0000..U+007F). */
const ASCII = new Uint8Array(128);
for (let c = 0x41; c <= 0x5a; c++) ASCII[c] = ALETTER;
for (let c = 0x61; c <= 0x7a; c++) ASCII[c] = ALETTER;
for (let c = 0x30; c <= 0x39; c++) ASCII[c] = NUMERIC;
ASCII[0x5f] = EXTNUMLET; // _
ASCII[0x3a] = MIDLETTER; // :
ASCII[0x2e] = MIDNUMLET; // .
ASCII[0x27] = SQUOTE; // '
ASCII[0x22] = DQUOTE; // "
ASCII[0x2c] = MIDNUM; // ,
ASCII[0x3b] = MIDNUM; // ;

const MIDLETTER_SET = new Set([0x00b7, 0x0387, 0x05f4, 0x2027, 0xfe13, 0xfe55, 0xff1a]);
const MIDNUMLET_SET = new Set([0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e]);
const MIDNUM_SET = new Set([
  0x037e, 0x0589, 0x060c, 0x060d, 0x066c, 0x07f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c,
  0xff1b,
]);
const EXTNUMLET_SET = new Set([0x202f, 0x203f, 0x2040, 0x2054, 0xfe33, 0xfe34, 0xfe4d, 0xfe4e, 0xfe4f, 0xff3f]);
const KATAKANA_EXTRA = new Set([0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309b, 0x309c, 0x30a0, 0x30fc, 0xff70]);
const ACCIDENTAL_EMOJI = new Set([0xa9, 0xae, 0x2122, 0x3030, 0x303d]);

const RE_KATAKANA = /^\p{Script=Katakana}$/u;
const RE_HAN = /^\p{Script=Han}$/u;
const RE_HIRAGANA = /^\p{Script=Hiragana}$/u;
const RE_EXTEND = /^[\p{Grapheme_Extend}\p{Mc}\p{Cf}]$/u;
const RE_SEA =
  /^[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}\p{Script=Ahom}]$/u;
const RE_LETTER = /^\p{L}$/u;
const RE_HEBREW = /^\p{Script=Hebrew}$/u;
const RE_ALPHABETIC = /^\p{Alphabetic}$/u;
const RE_IDEOGRAPHIC = /^\p{Ideographic}$/u;
const RE_ND = /^\p{Nd}$/u;
const RE_EXT_PICT = /^\p{Extended_Pictographic}$/u;
const RE_EMOJI = /^\p{Emoji}$/u;
const RE_EMOJI_MOD = /^\p{Emoji_Modifier}$/u;
const RE_EMOJI_MOD_BASE = /^\p{Emoji_Modifier_Base}$/u;

function isExtraALetter(cp: number): boolean {
  return (
    (cp >= 0x02c2 && cp <= 0x02c5) ||
    (cp >= 0x02d2 && cp <= 0x02d7) ||
    cp === 0x02de ||
    cp === 0x02df ||
    (cp >= 0x02e5 && cp <= 0x02eb) ||
    cp === 0x02ed ||
    (cp >= 0x02ef && cp <= 0x02ff) ||
    cp === 0x055a ||
    cp === 0x055b ||
    cp === 0x055c ||
    cp === 0x055e ||
    cp === 0x058a ||
    cp === 0x05f3 ||
    (cp >= 0xa708 && cp <= 0xa716) ||
    cp === 0xa720 ||
    cp === 0xa721 ||
    cp === 0xa789 ||
    cp === 0xa78a ||
    cp === 0xab5b
  );
}

function computeInfo(cp: number): number {
  if (cp < 128) return ASCII[cp];
  const ch = String.fromCodePoint(cp);
  let c = OTHER;
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) c = RI;
  else if (cp === 0x200d) c = ZWJ;
  else if (MIDLETTER_SET.has(cp)) c = MIDLETTER;
  else if (MIDNUMLET_SET.has(cp)) c = MIDNUMLET;
  else if (MIDNUM_SET.has(cp)) c = MIDNUM;
  else if (EXTNUMLET_SET.has(cp)) c = EXTNUMLET;
  else if (KATAKANA_EXTRA.has(cp) || RE_KATAKANA.test(ch)) c = KATAKANA;
  else if (RE_HAN.test(ch)) c = HAN;
  else if (RE_HIRAGANA.test(ch)) c = HIRAGANA;
  else if (RE_EMOJI_MOD.test(ch)) c = OTHER; // E_Modifier in Unicode 9, not Extend
  else if (cp === 0x200b) c = OTHER; // ZWSP is not Format
  else if (RE_EXTEND.test(ch)) c = EXTEND;
  else if (RE_LETTER.test(ch) && RE_SEA.test(ch)) c = SEA;
  else if (RE_LETTER.test(ch) && RE_HEBREW.test(ch)) c = HEBREW;
  else if ((RE_ALPHABETIC.test(ch) && !RE_IDEOGRAPHIC.test(ch)) || isExtraALetter(cp)) c = ALETTER;
  else if (RE_ND.test(ch) || cp === 0x066b) c = NUMERIC;

  let flags = 0;
  if (RE_EMOJI_MOD.test(ch)) flags |= MODIFIER;
  else if (c !== RI && (RE_EXT_PICT.test(ch) || (RE_EMOJI.test(ch) && !ACCIDENTAL_EMOJI.has(cp)))) {
    flags |= EMOJI_CHAR;
  }
  if (RE_EMOJI_MOD_BASE.test(ch)) flags |= MOD_BASE;
  return c | flags;
}

/** Lazily filled: 0 = not computed yet, else info + 256 packed into a Uint16. */
const INFO = new Uint16Array(0x110000);

function infoOf(cp: number): number {
  const v = INFO[cp];
  if (v !== 0) return v - 256;
  const info = computeInfo(cp);
  INFO[cp] = info + 256;
  return info;
}

function isKeycapBase(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || cp === 0x23 || cp === 0x2a;
}

// ---------------------------------------------------------------------------
// ASCII scanner
// ---------------------------------------------------------------------------

/** Reusable output buffer of [start, end) pairs. */
const bounds: number[] = [];

const NON_ASCII = /[^\u0000-\u007f]/; // eslint-disable-line no-control-regex

function scanAscii(s: string, maxLen: number, out: number[]): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = ASCII[s.charCodeAt(i)];
    if (c !== ALETTER && c !== NUMERIC && c !== EXTNUMLET) {
      i++;
      continue;
    }
    const start = i;
    const limit = n - start > maxLen ? start + maxLen : n;
    let prev = c;
    let core = c !== EXTNUMLET;
    let j = i + 1;
    let end = core ? j : -1;
    while (j < limit) {
      const d = ASCII[s.charCodeAt(j)];
      if (d === ALETTER || d === NUMERIC) {
        core = true;
        prev = d;
        end = ++j;
        continue;
      }
      if (d === EXTNUMLET) {
        prev = d;
        j++;
        if (core) end = j;
        continue;
      }
      if (d !== OTHER && j + 1 < limit && prev !== EXTNUMLET) {
        const d2 = ASCII[s.charCodeAt(j + 1)];
        if (
          d2 === prev &&
          (d === MIDNUMLET || d === SQUOTE || (prev === ALETTER ? d === MIDLETTER : d === MIDNUM))
        ) {
          j += 2;
          end = j;
          continue;
        }
      }
      break;
    }
    if (end < 0) {
      // Only underscores: not a token. Skip them (one at a time if the scan
      // was cut by the length limit, as the JFlex scanner would).
      i = j < limit || limit === n ? j : start + 1;
      continue;
    }
    out.push(start, end);
    i = end;
  }
}

// ---------------------------------------------------------------------------
// General (code point) scanner
// ---------------------------------------------------------------------------

function cpAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 0xd800 ? c : (s.codePointAt(i) as number);
}

function clsAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return (c < 128 ? ASCII[c] : infoOf(c < 0xd800 ? c : (s.codePointAt(i) as number))) & CLASS_MASK;
}

/**
 * WB4: skip Extend | Format | ZWJ characters starting at p, staying within limit. With
 * `sansPresentationSelectors` it also stops at U+FE0E / U+FE0F (Lucene's ExtFmtZwjSansPresSel).
 */
function skipExt(s: string, p: number, limit: number, sansPresentationSelectors = false): number {
  while (p < limit) {
    const code = s.charCodeAt(p);
    if (code < 128 || (sansPresentationSelectors && (code === 0xfe0e || code === 0xfe0f))) return p;
    const cp = cpAt(s, p);
    const len = cp > 0xffff ? 2 : 1;
    const c = infoOf(cp) & CLASS_MASK;
    if ((c !== EXTEND && c !== ZWJ) || p + len > limit) return p;
    p += len;
  }
  return p;
}

/** Lucene's WORD/NUM rule; returns the end of the longest match or -1. */
function scanWord(s: string, i: number, limit: number): number {
  let p = i;
  let state = S_NONE;
  let core = false;
  let end = -1;
  while (p < limit) {
    const cp = cpAt(s, p);
    const len = cp > 0xffff ? 2 : 1;
    if (p + len > limit) break;
    const c = (cp < 128 ? ASCII[cp] : infoOf(cp)) & CLASS_MASK;
    if (c === ALETTER || c === HEBREW || c === NUMERIC) {
      if (state === KATAKANA) break;
      state = c;
      core = true;
      p = end = skipExt(s, p + len, limit);
      continue;
    }
    if (c === KATAKANA) {
      if (state !== S_NONE && state !== KATAKANA && state !== EXTNUMLET) break;
      state = c;
      core = true;
      p = end = skipExt(s, p + len, limit);
      continue;
    }
    if (c === EXTNUMLET) {
      state = c;
      p = skipExt(s, p + len, limit);
      if (core) end = p;
      continue;
    }
    if (c >= MIDLETTER && c <= MIDNUM && (state === ALETTER || state === HEBREW || state === NUMERIC)) {
      const q = skipExt(s, p + len, limit);
      if (q < limit) {
        const cp2 = cpAt(s, q);
        const len2 = cp2 > 0xffff ? 2 : 1;
        if (q + len2 <= limit) {
          const c2 = (cp2 < 128 ? ASCII[cp2] : infoOf(cp2)) & CLASS_MASK;
          const joins =
            state === NUMERIC
              ? c2 === NUMERIC && (c === MIDNUM || c === MIDNUMLET || c === SQUOTE)
              : (c2 === ALETTER || c2 === HEBREW) &&
                (c === MIDLETTER ||
                  c === MIDNUMLET ||
                  c === SQUOTE ||
                  (c === DQUOTE && state === HEBREW && c2 === HEBREW));
          if (joins) {
            state = c2;
            p = end = skipExt(s, q + len2, limit);
            continue;
          }
        }
      }
      if (state === HEBREW && c === SQUOTE) {
        // WB7a: Hebrew_Letter × Single_Quote (the quote stays in the token).
        state = S_HQ;
        p = end = q;
        continue;
      }
    }
    break;
  }
  return core ? end : -1;
}

/** Lucene's <EMOJI> rule; returns the end of the longest match or -1. */
function scanEmoji(s: string, i: number, limit: number): number {
  const cp0 = cpAt(s, i);
  let best = -1;

  // Keycap: [0-9#*] ExtSans* FE0F? 20E3 ExtSans*
  if (isKeycapBase(cp0)) {
    let q = i + 1;
    while (q < limit) {
      const code = s.charCodeAt(q);
      if (code === 0x20e3) {
        best = skipExt(s, q + 1, limit, true);
        break;
      }
      if (code === 0xfe0f) {
        if (q + 1 < limit && s.charCodeAt(q + 1) === 0x20e3) best = skipExt(s, q + 2, limit, true);
        break;
      }
      const q2 = skipExt(s, q, limit, true);
      if (q2 === q) break;
      q += cpAt(s, q) > 0xffff ? 2 : 1; // one character at a time, to see a 20E3 inside the run
    }
    return best;
  }

  const info0 = cp0 < 128 ? ASCII[cp0] : infoOf(cp0);

  // Flag: RI Ext* RI Ext*
  if ((info0 & CLASS_MASK) === RI) {
    const q = skipExt(s, i + 2, limit);
    if (q + 2 <= limit && clsAt(s, q) === RI) return skipExt(s, q + 2, limit);
    return -1;
  }

  // emoji_core ( (ZWJ emoji_core)* | tags ), where tags are absorbed as Format.
  let p = i;
  while (p < limit && s.charCodeAt(p) === 0x200d) p++;
  for (;;) {
    if (p >= limit) break;
    const cp = cpAt(s, p);
    const len = cp > 0xffff ? 2 : 1;
    if (p + len > limit) break;
    const info = cp < 128 ? ASCII[cp] : infoOf(cp);
    if ((info & (EMOJI_CHAR | MODIFIER)) === 0) break;
    let q = skipExt(s, p + len, limit, true);
    let presSelOk = true;
    if ((info & EMOJI_CHAR) === 0) {
      presSelOk = false; // lone Emoji_Modifier
    } else if ((info & MOD_BASE) !== 0 && q < limit) {
      const cpm = cpAt(s, q);
      if (cpm >= 0x1f3fb && cpm <= 0x1f3ff && q + 2 <= limit) {
        q = skipExt(s, q + 2, limit, true);
        presSelOk = false;
      }
    }
    if (presSelOk && q < limit && s.charCodeAt(q) === 0xfe0f) q++;
    best = q;
    // Continue only through a ZWJ immediately preceding the next core.
    let r = q;
    if (r < limit && s.charCodeAt(r) === 0x200d) {
      while (r < limit && s.charCodeAt(r) === 0x200d) r++;
    } else if (!(r > p + len && s.charCodeAt(r - 1) === 0x200d)) {
      break;
    }
    p = r;
  }
  return best;
}

function scanGeneral(s: string, maxLen: number, out: number[]): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const cp = cpAt(s, i);
    const len = cp > 0xffff ? 2 : 1;
    const info = cp < 128 ? ASCII[cp] : infoOf(cp);
    const c = info & CLASS_MASK;
    if (c === OTHER && (info & (EMOJI_CHAR | MODIFIER)) === 0 && (cp < 128 ? cp !== 0x23 && cp !== 0x2a : true)) {
      i += len;
      continue;
    }
    const limit = n - i > maxLen ? i + maxLen : n;
    let end = -1;
    if (i + len <= limit) {
      switch (c) {
        case ALETTER:
        case HEBREW:
        case NUMERIC:
        case KATAKANA:
        case EXTNUMLET:
          end = scanWord(s, i, limit);
          break;
        case SEA: {
          let p = i;
          while (p < limit) {
            const cpx = cpAt(s, p);
            const lx = cpx > 0xffff ? 2 : 1;
            if (p + lx > limit || clsAt(s, p) !== SEA) break;
            p = skipExt(s, p + lx, limit);
          }
          end = p;
          break;
        }
        case HAN:
        case HIRAGANA:
          end = skipExt(s, i + len, limit);
          break;
      }
      if (info & (EMOJI_CHAR | MODIFIER) || c === RI || c === ZWJ || isKeycapBase(cp)) {
        const e = scanEmoji(s, i, limit);
        if (e > end) end = e;
      }
    }
    if (end > i) {
      out.push(i, end);
      i = end;
    } else {
      i += len;
    }
  }
}

// ---------------------------------------------------------------------------
// Lower-casing (Java Character.toLowerCase semantics)
// ---------------------------------------------------------------------------

function lowerJava(t: string): string {
  if (t.indexOf('\u0130') < 0 && t.indexOf('\u03a3') < 0) return t.toLowerCase();
  let out = '';
  for (const ch of t) out += ch === '\u0130' ? 'i' : ch.toLowerCase();
  return out;
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

function scan(text: string, maxLen: number): { b: number[]; ascii: boolean } {
  if (!(maxLen >= 1)) throw new RangeError(`maxTokenLength must be >= 1, got ${maxLen}`);
  const b = bounds;
  b.length = 0;
  const ascii = !NON_ASCII.test(text);
  if (ascii) scanAscii(text, maxLen, b);
  else scanGeneral(text, maxLen, b);
  return { b, ascii };
}

/** Fast path used at ingest: terms in order (positions are the array indexes). */
export function analyzeTerms(text: string, maxTokenLength: number = DEFAULT_MAX_TOKEN_LENGTH): string[] {
  const { b, ascii } = scan(text, maxTokenLength);
  const n = b.length;
  const terms: string[] = new Array<string>(n >> 1);
  if (ascii) {
    const lower = text.toLowerCase(); // ASCII: same length, same offsets
    for (let k = 0; k < n; k += 2) terms[k >> 1] = lower.slice(b[k], b[k + 1]);
  } else {
    for (let k = 0; k < n; k += 2) terms[k >> 1] = lowerJava(text.slice(b[k], b[k + 1]));
  }
  return terms;
}

/** Full tokens with offsets (for highlighting later). */
export function analyzeTokens(text: string, maxTokenLength: number = DEFAULT_MAX_TOKEN_LENGTH): Token[] {
  const { b, ascii } = scan(text, maxTokenLength);
  const n = b.length;
  const tokens: Token[] = new Array<Token>(n >> 1);
  const lower = ascii ? text.toLowerCase() : '';
  for (let k = 0; k < n; k += 2) {
    const startOffset = b[k];
    const endOffset = b[k + 1];
    const term = ascii ? lower.slice(startOffset, endOffset) : lowerJava(text.slice(startOffset, endOffset));
    tokens[k >> 1] = { term, position: k >> 1, startOffset, endOffset };
  }
  return tokens;
}

/**
 * @internal Runs the general (code point) scanner even on ASCII input; exists
 * so tests can check that both scanners agree.
 */
export function analyzeTermsGeneral(text: string, maxTokenLength: number = DEFAULT_MAX_TOKEN_LENGTH): string[] {
  const b: number[] = [];
  scanGeneral(text, maxTokenLength, b);
  const terms: string[] = [];
  for (let k = 0; k < b.length; k += 2) terms.push(lowerJava(text.slice(b[k], b[k + 1])));
  return terms;
}
