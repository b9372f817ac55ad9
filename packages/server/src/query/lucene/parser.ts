/**
 * The classic Lucene query syntax (Elasticsearch `query_string` and `q=`) → QueryNode.
 *
 * A recursive-descent version of Lucene's classic QueryParser grammar with Elasticsearch's
 * QueryStringQueryParser semantics on top:
 *
 *   Query     ::= ( MultiTerm | Modifiers Clause ) ( MultiTerm | Conjunction Modifiers Clause )*
 *   Clause    ::= [ field ":" ] ( Term | "(" Query ")" [ "^" boost ] )
 *   MultiTerm ::= TERM TERM+      (plain words with no operator between them)
 *
 * Plain words in a row are analysed together ("new york city" is one text for the field's
 * analyser, so on a keyword field it is one term), as ES does with split_on_whitespace off.
 * Occurrences follow Lucene's addClause: `AND` makes its left neighbour required, `+`/`-`/`NOT`
 * set required/prohibited, and otherwise the default operator decides.
 */
import type { Fuzziness, QueryNode } from '../ast.js';
import { LuceneSyntaxError, discardEscapeChar, type Token, type TokenKind } from './lexer.js';
import { fuzzyNode, perField, phraseQuery, prefixNode, textQuery, withBoost, wildcardNode, type Target, type TextSettings } from './targets.js';

export interface ParserContext extends TextSettings {
  /** Lucene's default field: `*` (all fields), the `default_field`, or null when a `fields` list is used. */
  defaultField: string | null;
  /** Fields searched by words without a field when `defaultField` is null. */
  defaultTarget: Target;
  allowLeadingWildcard: boolean;
  fuzziness: Fuzziness;
  phraseSlop: number;
}

type Occur = 'must' | 'should' | 'mustNot';
interface Clause {
  occur: Occur;
  node: QueryNode;
}
type Conj = 'none' | 'and' | 'or';
type Mod = 'none' | 'req' | 'not';

/** Tokens that may not follow a word for it to join a run of plain words (Lucene's disallowedPostMultiTerm). */
const NOT_AFTER_MULTI_TERM = new Set<TokenKind>(['COLON', 'STAR', 'FUZZY_SLOP', 'CARAT', 'AND', 'OR']);
/** Tokens that can start `Conjunction Modifiers Clause`, i.e. keep a Query going. */
const CLAUSE_START = new Set<TokenKind>([
  'AND', 'OR', 'PLUS', 'MINUS', 'NOT', 'TERM', 'STAR', 'PREFIXTERM', 'WILDTERM', 'REGEXPTERM',
  'BAREOPER', 'RANGEIN_START', 'RANGEEX_START', 'QUOTED', 'LPAREN',
]);
const FIELD_TOKENS = new Set<TokenKind>(['TERM', 'STAR', 'PREFIXTERM', 'WILDTERM']);
const BARE_TERMS = new Set<TokenKind>(['TERM', 'STAR', 'PREFIXTERM', 'WILDTERM', 'REGEXPTERM', 'BAREOPER']);
/** JavaCC's names for tokens, used in "Encountered ..." messages. */
const LITERAL_IMAGES: Partial<Record<TokenKind, string>> = {
  PLUS: '"+"', MINUS: '"-"', LPAREN: '"("', RPAREN: '")"', COLON: '":"', STAR: '"*"', CARAT: '"^"',
  RANGEIN_START: '"["', RANGEEX_START: '"{"', RANGE_TO: '"TO"', RANGEIN_END: '"]"', RANGEEX_END: '"}"',
};

const EXISTS_FIELD = '_exists_';

export class QueryStringParser {
  private tokens: Token[] = [];
  private at = 0;

  constructor(private readonly ctx: ParserContext) {}

  /** The whole query; null when every clause vanished (e.g. only bare operators). */
  parse(tokens: Token[]): QueryNode | null {
    this.tokens = tokens;
    this.at = 0;
    const q = this.query(this.ctx.defaultField);
    if (this.peek().kind !== 'EOF') throw this.unexpected();
    return q;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[this.at++];
  }

  private expect(...kinds: TokenKind[]): Token {
    if (!kinds.includes(this.peek().kind)) throw this.unexpected();
    return this.next();
  }

  private unexpected(): LuceneSyntaxError {
    const t = this.peek();
    const what = t.kind === 'EOF' ? '"<EOF>"' : `" ${LITERAL_IMAGES[t.kind] ?? `<${t.kind}>`} "${t.image} ""`;
    return new LuceneSyntaxError(`Encountered ${what} at line 1, column ${t.pos}.`);
  }

  private query(field: string | null): QueryNode | null {
    const clauses: Clause[] = [];
    let first: QueryNode | null = null;
    if (this.atMultiTerm()) {
      first = this.multiTerm(field, clauses);
    } else {
      const mods = this.modifiers();
      const q = this.clause(field);
      this.addClause(clauses, 'none', mods, q);
      if (mods === 'none') first = q;
    }
    while (true) {
      if (this.atMultiTerm()) {
        this.multiTerm(field, clauses);
      } else if (CLAUSE_START.has(this.peek().kind)) {
        const conj = this.conjunction();
        const mods = this.modifiers();
        this.addClause(clauses, conj, mods, this.clause(field));
      } else {
        break;
      }
    }
    if (clauses.length === 1 && first !== null) return first;
    return booleanQuery(clauses);
  }

  private atMultiTerm(): boolean {
    return this.peek().kind === 'TERM' && this.peek(1).kind === 'TERM' && !NOT_AFTER_MULTI_TERM.has(this.peek(2).kind);
  }

  /** Words in a row are one text for the analyser, added with the default operator's occurrence. */
  private multiTerm(field: string | null, clauses: Clause[]): QueryNode | null {
    let text = this.next().image;
    while (this.peek().kind === 'TERM' && !NOT_AFTER_MULTI_TERM.has(this.peek(1).kind)) text += ' ' + this.next().image;
    const q = this.fieldQuery(field, discardEscapeChar(text));
    if (q) clauses.push({ occur: this.ctx.operator === 'and' ? 'must' : 'should', node: q });
    return q;
  }

  private conjunction(): Conj {
    const k = this.peek().kind;
    if (k !== 'AND' && k !== 'OR') return 'none';
    this.next();
    return k === 'AND' ? 'and' : 'or';
  }

  private modifiers(): Mod {
    const k = this.peek().kind;
    if (k !== 'PLUS' && k !== 'MINUS' && k !== 'NOT') return 'none';
    this.next();
    return k === 'PLUS' ? 'req' : 'not';
  }

  /** Lucene's QueryParserBase.addClause, occurrence rules included. */
  private addClause(clauses: Clause[], conj: Conj, mods: Mod, q: QueryNode | null): void {
    const last = clauses[clauses.length - 1];
    // `a AND b` makes `a` required unless it is prohibited.
    if (last && conj === 'and' && last.occur !== 'mustNot') last.occur = 'must';
    // With default_operator AND, `a OR b` makes `a` optional unless it is prohibited.
    if (last && this.ctx.operator === 'and' && conj === 'or' && last.occur !== 'mustNot') last.occur = 'should';
    if (q === null) return;
    const prohibited = mods === 'not';
    const required = this.ctx.operator === 'or' ? mods === 'req' || (conj === 'and' && !prohibited) : !prohibited && conj !== 'or';
    clauses.push({ occur: prohibited ? 'mustNot' : required ? 'must' : 'should', node: q });
  }

  private clause(field: string | null): QueryNode | null {
    // `field:`; besides Lucene's `name:` and `*:` this also accepts unescaped patterns like `user.*:`.
    if (FIELD_TOKENS.has(this.peek().kind) && this.peek(1).kind === 'COLON') {
      const t = this.next();
      this.next();
      field = t.kind === 'STAR' ? '*' : discardEscapeChar(t.image);
    }
    if (this.peek().kind === 'LPAREN') {
      this.next();
      const q = this.query(field);
      this.expect('RPAREN');
      return boosted(q, this.optionalBoost());
    }
    return this.term(field);
  }

  private optionalBoost(): number | undefined {
    if (this.peek().kind !== 'CARAT') return undefined;
    this.next();
    return Number(this.expect('NUMBER').image);
  }

  /** `^boost` and `~slop` after a term or phrase, in either order. */
  private suffixes(): { boost?: number; slop?: Token } {
    if (this.peek().kind === 'CARAT') {
      const boost = this.optionalBoost();
      return { boost, slop: this.peek().kind === 'FUZZY_SLOP' ? this.next() : undefined };
    }
    if (this.peek().kind === 'FUZZY_SLOP') {
      const slop = this.next();
      return { slop, boost: this.optionalBoost() };
    }
    return {};
  }

  private term(field: string | null): QueryNode | null {
    const t = this.peek();
    if (BARE_TERMS.has(t.kind)) {
      this.next();
      const { boost, slop } = this.suffixes();
      return boosted(this.bareToken(field, t, slop), boost);
    }
    if (t.kind === 'QUOTED') {
      this.next();
      const { boost, slop } = this.suffixes();
      return boosted(this.quoted(field, t, slop), boost);
    }
    if (t.kind === 'RANGEIN_START' || t.kind === 'RANGEEX_START') return this.range(field);
    throw this.unexpected();
  }

  private bareToken(field: string | null, t: Token, slop: Token | undefined): QueryNode | null {
    switch (t.kind) {
      case 'STAR':
      case 'WILDTERM':
        return this.wildcardQuery(field, t.image);
      case 'PREFIXTERM': {
        const value = discardEscapeChar(t.image.slice(0, -1));
        return perField(this.resolve(field), (f) => prefixNode(f, value), 0);
      }
      case 'REGEXPTERM': {
        const value = t.image.slice(1, -1);
        return perField(this.resolve(field), (f) => ({ kind: 'regexp', field: f, value }), 0);
      }
      case 'BAREOPER':
        // A lone `+`, `-` or `!` is a term that the analyser reduces to nothing; Lucene drops it.
        return null;
      default: {
        const text = discardEscapeChar(t.image);
        if (slop) return this.fuzzyQuery(field, text, slop);
        return this.fieldQuery(field, text);
      }
    }
  }

  /** An unquoted text: `_exists_:f`, the `>`/`>=`/`<`/`<=` range shorthand, or analysed text. */
  private fieldQuery(field: string | null, text: string): QueryNode | null {
    if (field === EXISTS_FIELD) return { kind: 'exists', field: text };
    // Elasticsearch only recognises the shorthand when a field is known (explicit, default_field or `*`).
    if (field !== null && text.length > 1) {
      if (text[0] === '>') {
        return text.length > 2 && text[1] === '=' ? this.rangeQuery(field, text.slice(2), null, true, true) : this.rangeQuery(field, text.slice(1), null, false, true);
      }
      if (text[0] === '<') {
        return text.length > 2 && text[1] === '=' ? this.rangeQuery(field, null, text.slice(2), true, true) : this.rangeQuery(field, null, text.slice(1), true, false);
      }
    }
    return textQuery(this.resolve(field), text, this.ctx);
  }

  private quoted(field: string | null, t: Token, slopToken: Token | undefined): QueryNode | null {
    const text = discardEscapeChar(t.image.slice(1, -1));
    if (field === EXISTS_FIELD) return { kind: 'exists', field: text };
    let slop = this.ctx.phraseSlop;
    if (slopToken) {
      // Lucene reads the slop as a float and truncates it; an unreadable slop keeps the default.
      const parsed = Number(slopToken.image.slice(1));
      if (slopToken.image.length > 1 && Number.isFinite(parsed)) slop = Math.trunc(parsed);
    }
    if (slop < 0) throw new LuceneSyntaxError(`Phrase slop must be non-negative, got [${slop}]`);
    if (text.trim() === '') return null;
    return phraseQuery(this.resolve(field), text, slop, this.ctx);
  }

  private fuzzyQuery(field: string | null, text: string, slop: Token): QueryNode {
    const fuzziness = this.fuzzinessOf(slop.image.slice(1));
    return perField(this.resolve(field), (f) => fuzzyNode(f, text, fuzziness), 0);
  }

  /**
   * `~` alone uses the `fuzziness` option (AUTO by default); `~N` is N edits, truncated and capped
   * at 2 as Elasticsearch's Fuzziness does; `~AUTO[:low,high]` is accepted; anything else falls
   * back to Lucene's default of 2 edits.
   */
  private fuzzinessOf(spec: string): Fuzziness {
    if (spec === '') return this.ctx.fuzziness;
    if (/^auto(:\d+,\d+)?$/i.test(spec)) return spec.toUpperCase();
    const n = Number(spec);
    if (!Number.isFinite(n)) return 2;
    if (n < 0) throw new LuceneSyntaxError('Minimum similarity for a FuzzyQuery has to be between 0.0f and 1.0f !');
    return Math.min(2, Math.trunc(n));
  }

  /** `*` alone: all documents on `*`, else "the field exists"; other patterns are wildcard queries. */
  private wildcardQuery(field: string | null, pattern: string): QueryNode {
    if (pattern === '*') {
      const actual = field ?? this.ctx.defaultField;
      if (actual === '*') return { kind: 'match_all' };
      if (actual !== null) return { kind: 'exists', field: actual };
      return perField(this.resolve(field), (f) => (f === '*' ? { kind: 'match_all' } : { kind: 'exists', field: f }), 0);
    }
    if (!this.ctx.allowLeadingWildcard && (pattern[0] === '*' || pattern[0] === '?')) {
      throw new LuceneSyntaxError("'*' or '?' not allowed as first character in WildcardQuery");
    }
    return perField(this.resolve(field), (f) => wildcardNode(f, pattern), 0);
  }

  private range(field: string | null): QueryNode | null {
    const startInclusive = this.next().kind === 'RANGEIN_START';
    const bound = () => {
      const t = this.expect('RANGE_GOOP', 'RANGE_QUOTED', 'RANGE_TO');
      if (t.kind === 'RANGE_QUOTED') return discardEscapeChar(t.image.slice(1, -1));
      return t.image === '*' ? null : discardEscapeChar(t.image);
    };
    const from = bound();
    this.expect('RANGE_TO');
    const to = bound();
    const endInclusive = this.expect('RANGEIN_END', 'RANGEEX_END').kind === 'RANGEIN_END';
    return boosted(this.rangeQuery(field, from, to, startInclusive, endInclusive), this.optionalBoost());
  }

  /** Bounds stay strings (dates keep their date math); `*` is an open end, as in Elasticsearch. */
  private rangeQuery(field: string | null, from: string | null, to: string | null, startInclusive: boolean, endInclusive: boolean): QueryNode {
    const lower = from === '*' ? null : from;
    const upper = to === '*' ? null : to;
    return perField(
      this.resolve(field),
      (f): QueryNode => {
        // Both ends open matches every document with a value, i.e. the field exists.
        if (lower === null && upper === null) return { kind: 'exists', field: f };
        return {
          kind: 'range',
          field: f,
          ...(lower !== null && (startInclusive ? { gte: lower } : { gt: lower })),
          ...(upper !== null && (endInclusive ? { lte: upper } : { lt: upper })),
        };
      },
      0,
    );
  }

  /** The fields a clause searches: its own field (a name or pattern) or the defaults. */
  private resolve(field: string | null): Target {
    if (field === null) return this.ctx.defaultTarget;
    return { specs: [{ name: field }], raw: [field] };
  }
}

function boosted(q: QueryNode | null, boost: number | undefined): QueryNode | null {
  return q === null ? null : withBoost(q, boost);
}

/**
 * The clauses as a bool; null when there are none. A bool of only prohibited clauses gets a
 * match_all filter so that it matches everything else, as Elasticsearch's fixNegativeQueryIfNeeded.
 */
function booleanQuery(clauses: Clause[]): QueryNode | null {
  if (clauses.length === 0) return null;
  const pick = (occur: Occur) => clauses.filter((c) => c.occur === occur).map((c) => c.node);
  const mustNot = pick('mustNot');
  const onlyNegative = mustNot.length === clauses.length;
  return { kind: 'bool', must: pick('must'), filter: onlyNegative ? [{ kind: 'match_all' }] : [], should: pick('should'), mustNot };
}
