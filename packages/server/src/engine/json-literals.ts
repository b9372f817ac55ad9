/**
 * What `JSON.parse` erases from a document's numbers, recovered from its text:
 *  - Elasticsearch's dynamic mapping sees JSON tokens: `1200.0` is a float and maps the field as
 *    floating-point, `1200` as long. After JSON.parse both are 1200, so a price list whose first
 *    document says `1200.0` would become a long field and truncate every later `25.5`.
 *  - Integers beyond 2^53 (64-bit ids, counters) round to the nearest double; a `long` field must
 *    keep them exact, as Elasticsearch does.
 */

export interface JsonLiterals {
  /** Dotted paths (array levels folded, as in mappings) of whole-valued float literals (`1.0`, `2e3`). */
  wholeFloats?: Set<string>;
  /** Per path, the exact values of integer literals beyond ±2^53, in document order. */
  bigInts?: Map<string, bigint[]>;
}

/**
 * Cheap pre-check on the ingest hot path: a whole-valued float or a 16+-digit integer in value
 * position (after `:`, `,` or `[`, before a delimiter). Timestamps such as "10:00:00.000Z" do not
 * trigger the scan: their number is followed by a letter.
 */
const MAYBE = /[:,[]\s*-?\d+(?:\.0+|(?:\.\d+)?[eE][+-]?\d+)\s*[,}\]]|[:,[]\s*-?\d{16}/;

export function jsonLiterals(text: string): JsonLiterals | undefined {
  if (!MAYBE.test(text)) return undefined;
  const out: JsonLiterals = {};
  // One frame per open container: the object's path and its current key, or an array's path.
  const stack: Array<{ path: string; key?: string; array: boolean }> = [];
  const pathHere = () => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.array) return top.path;
    return top.path ? `${top.path}.${top.key}` : (top.key ?? '');
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (expectKey) {
        stack[stack.length - 1].key = JSON.parse(text.slice(i, end)) as string;
        expectKey = false;
      }
      i = end - 1;
    } else if (ch === '{') {
      stack.push({ path: pathHere(), array: false });
      expectKey = true;
    } else if (ch === '[') {
      stack.push({ path: pathHere(), array: true });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      expectKey = stack[stack.length - 1]?.array === false;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end])) end++;
      const literal = text.slice(i, end);
      if (/[.eE]/.test(literal)) {
        if (Number.isInteger(Number(literal))) (out.wholeFloats ??= new Set()).add(pathHere());
      } else if (!Number.isSafeInteger(Number(literal))) {
        const path = pathHere();
        const list = (out.bigInts ??= new Map()).get(path) ?? [];
        list.push(BigInt(literal));
        out.bigInts.set(path, list);
      }
      i = end - 1;
    }
  }
  return out.wholeFloats || out.bigInts ? out : undefined;
}

function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
