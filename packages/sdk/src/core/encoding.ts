/** Body encoders that reproduce Python's byte output where the Python SDK serialises for the caller. */

export { pythonQuote } from '../signer/canonical.js';

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    // ensure_ascii=True escapes everything outside ' '..'~' (DEL and surrogates too) as lower-case \uXXXX.
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}

/**
 * `json.dumps(value)` with Python's defaults: `", "` / `": "` separators and `ensure_ascii=True`.
 * Used wherever Python itself serialises (SQL bodies, configs, thread payloads…) so body hashes match the
 * Python SDK. Known gap: JS cannot tell `1.0` from `1`, so floats with a zero fraction render as integers;
 * non-finite numbers become `null` (Python would emit `NaN`/`Infinity`).
 */
export function pythonJsonDumps(value: unknown): string {
  const out = dump(value);
  return out === undefined ? 'null' : out;
}

function dump(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return escapeString(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => dump(v) ?? 'null').join(', ') + ']';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const s = dump(v);
    if (s !== undefined) parts.push(`${escapeString(k)}: ${s}`);
  }
  return '{' + parts.join(', ') + '}';
}
