/**
 * Lucene regular expressions (terms `include`/`exclude`) → RE2 for DuckDB's `regexp_full_match`.
 * Lucene's syntax is a small subset: `\` quotes any character, `"..."` is a literal string, `@`
 * matches any string, `#` nothing, and `^`/`$` are ordinary characters. The intersection (`&`),
 * complement (`~`) and numeric interval (`<1-10>`) operators have no RE2 equivalent: refused.
 */
import { illegalArgument } from './errors.js';

const quote = (c: string) => (/[\\.^$|?*+()[\]{}]/.test(c) ? `\\${c}` : c);

export function luceneRegexToRe2(src: string): string {
  let out = '(?s)';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      if (i < src.length) out += quote(src[i]);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        if (src[i + 1] === '^') out += src[++i];
        break;
      case '"': {
        const end = src.indexOf('"', i + 1);
        if (end < 0) throw illegalArgument(`invalid regular expression [${src}]: unterminated string`);
        out += [...src.slice(i + 1, end)].map(quote).join('');
        i = end;
        break;
      }
      case '@':
        out += '.*';
        break;
      case '#':
        out += '[^\\s\\S]';
        break;
      case '^':
      case '$':
        out += `\\${c}`;
        break;
      case '&':
      case '~':
      case '<':
        throw illegalArgument(`regular expression [${src}]: the [${c}] operator is not supported`);
      default:
        out += c;
    }
  }
  return out;
}
