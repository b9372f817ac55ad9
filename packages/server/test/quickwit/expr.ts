/**
 * A tiny evaluator for the Python expressions the Quickwit REST scenarios put in `$expect` and
 * `$previous` (`len(val) == 4`, `not 'actor' in val`, `val.startswith('…')`,
 * `270 < float(val[:-2]) < 280`, `val["_scroll_id"]`). Only the Python subset those files use:
 * literals, `val`, `len`/`float`/`int`/`str`, `.startswith`/`.endswith`, subscripts and slices,
 * chained comparisons, `in`/`not in`, `not`, unary minus. Anything else is an error,
 * so a new form in the scenarios fails loudly instead of being silently misread.
 */

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'end' };

const OPS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ',', ':', '.', '-', '+'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ kind: 'num', value: Number(m[0]) });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j++];
      }
      if (j >= src.length) throw new Error(`unterminated string in expression: ${src}`);
      out.push({ kind: 'str', value: s });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'name', value: m[0] });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new Error(`unexpected character '${c}' in expression: ${src}`);
      out.push({ kind: 'op', value: op });
      i += op.length;
    }
  }
  out.push({ kind: 'end' });
  return out;
}

const typeName = (v: unknown): string =>
  v === null || v === undefined ? 'NoneType' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'dict' : typeof v;

function len(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (v !== null && typeof v === 'object') return Object.keys(v).length;
  throw new Error(`len() of ${typeName(v)}`);
}

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new Error(`'in <string>' requires a string, got ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => x === item);
  if (container !== null && typeof container === 'object') return typeof item === 'string' && Object.hasOwn(container, item);
  throw new Error(`'in' on ${typeName(container)}`);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (op === 'in') return contains(b, a);
  if (op === 'not in') return !contains(b, a);
  // Python refuses to order values of different kinds; so do we.
  const bothNum = typeof a === 'number' && typeof b === 'number';
  const bothStr = typeof a === 'string' && typeof b === 'string';
  if (!bothNum && !bothStr) throw new Error(`'${op}' between ${typeName(a)} and ${typeName(b)}`);
  const [x, y] = [a as number | string, b as number | string];
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
}

/** Python truthiness, for `not` and for an `$expect` result. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function toFloat(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) throw new Error(`float() of ${JSON.stringify(v)}`);
  return n;
}

function subscript(target: unknown, key: unknown): unknown {
  if (Array.isArray(target) || typeof target === 'string') {
    if (typeof key !== 'number') throw new Error(`index must be an integer, got ${typeName(key)}`);
    const i = key < 0 ? target.length + key : key;
    if (i < 0 || i >= target.length) throw new Error(`index ${key} out of range`);
    return target[i];
  }
  if (target !== null && typeof target === 'object' && typeof key === 'string') {
    if (!Object.hasOwn(target, key)) throw new Error(`KeyError: '${key}'`);
    return (target as Record<string, unknown>)[key];
  }
  throw new Error(`cannot subscript ${typeName(target)}`);
}

function slice(target: unknown, start: number | undefined, stop: number | undefined): unknown {
  if (typeof target !== 'string' && !Array.isArray(target)) throw new Error(`cannot slice ${typeName(target)}`);
  // JS slice treats negative bounds exactly like Python's.
  return target.slice(start ?? 0, stop ?? target.length);
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
    private readonly val: unknown,
  ) {}

  parse(): unknown {
    const v = this.not();
    if (this.peek().kind !== 'end') this.fail('trailing input');
    return v;
  }

  private peek(offset = 0): Token {
    return this.tokens[this.pos + offset];
  }
  private isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.value === value;
  }
  private isName(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'name' && t.value === value;
  }
  private expectOp(value: string): void {
    if (!this.isOp(value)) this.fail(`expected '${value}'`);
    this.pos++;
  }
  private fail(msg: string): never {
    throw new Error(`${msg} at token ${this.pos} in expression: ${this.src}`);
  }

  private not(): unknown {
    if (this.isName('not')) {
      this.pos++;
      return !truthy(this.not());
    }
    return this.comparison();
  }
  /** Python chains comparisons: `a < b < c` is `a < b and b < c`. */
  private comparison(): unknown {
    let left = this.unary();
    let result: unknown = left;
    let chained = false;
    for (;;) {
      const op = this.compOp();
      if (!op) return result;
      const right = this.unary();
      const ok = compare(op, left, right);
      result = chained ? truthy(result) && ok : ok;
      chained = true;
      left = right;
    }
  }
  private compOp(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.value)) {
      this.pos++;
      return t.value;
    }
    if (this.isName('in')) {
      this.pos++;
      return 'in';
    }
    if (this.isName('not') && this.isName('in', 1)) {
      this.pos += 2;
      return 'not in';
    }
    return undefined;
  }
  private unary(): unknown {
    if (this.isOp('-')) {
      this.pos++;
      const v = this.unary();
      if (typeof v !== 'number') this.fail(`unary minus on ${typeName(v)}`);
      return -v;
    }
    return this.postfix();
  }
  private postfix(): unknown {
    let v = this.atom();
    for (;;) {
      if (this.isOp('[')) {
        this.pos++;
        v = this.subscriptOrSlice(v);
      } else if (this.isOp('.')) {
        this.pos++;
        v = this.method(v);
      } else {
        return v;
      }
    }
  }
  private subscriptOrSlice(target: unknown): unknown {
    const part = (): unknown => (this.isOp(':') || this.isOp(']') ? undefined : this.not());
    const bound = (b: unknown): number | undefined => {
      if (b !== undefined && typeof b !== 'number') this.fail('slice bounds must be integers');
      return b;
    };
    const first = part();
    if (this.isOp(':')) {
      this.pos++;
      const stop = part();
      this.expectOp(']');
      return slice(target, bound(first), bound(stop));
    }
    this.expectOp(']');
    return subscript(target, first);
  }
  private method(target: unknown): unknown {
    const t = this.peek();
    if (t.kind !== 'name') this.fail('expected a method name');
    this.pos++;
    const args = this.args();
    if (t.value !== 'startswith' && t.value !== 'endswith') this.fail(`unsupported method .${t.value}()`);
    if (typeof target !== 'string' || args.length !== 1 || typeof args[0] !== 'string') {
      this.fail(`.${t.value}() needs a string receiver and one string argument`);
    }
    return t.value === 'startswith' ? target.startsWith(args[0]) : target.endsWith(args[0]);
  }
  private args(): unknown[] {
    this.expectOp('(');
    const out: unknown[] = [];
    while (!this.isOp(')')) {
      out.push(this.not());
      if (!this.isOp(')')) this.expectOp(',');
    }
    this.pos++;
    return out;
  }
  private atom(): unknown {
    const t = this.peek();
    if (t.kind === 'num' || t.kind === 'str') {
      this.pos++;
      return t.value;
    }
    if (t.kind === 'op' && t.value === '(') {
      this.pos++;
      const v = this.not();
      this.expectOp(')');
      return v;
    }
    if (t.kind !== 'name') this.fail('expected a value');
    this.pos++;
    switch (t.value) {
      case 'val':
        return this.val;
      case 'True':
        return true;
      case 'False':
        return false;
      case 'None':
        return null;
      case 'len':
      case 'float':
      case 'int':
      case 'str': {
        const args = this.args();
        if (args.length !== 1) this.fail(`${t.value}() takes one argument`);
        const a = args[0];
        if (t.value === 'len') return len(a);
        if (t.value === 'float') return toFloat(a);
        if (t.value === 'int') return Math.trunc(toFloat(a));
        return typeof a === 'string' ? a : JSON.stringify(a);
      }
      default:
        return this.fail(`unknown name '${t.value}'`);
    }
  }
}

/** Evaluate `src` with `val` bound; throws on anything outside the supported subset. */
export function evaluate(src: string, val: unknown): unknown {
  return new Parser(tokenize(src), src, val).parse();
}
