/** Text escaping for the hand-built SVG and HTML the renderers emit. */

// Characters XML 1.0 forbids even escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F):
// one of them in a row value would make the whole SVG unparseable, so they become U+FFFD.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Replaces characters XML cannot carry; the rest of the text is kept as is. */
export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, '\ufffd');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for XML/HTML element content and double- or single-quoted attribute values. */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** The first `n` code points of `text` (Python's `s[:n]`; never splits a surrogate pair). */
export function codePointSlice(text: string, n: number): string {
  const chars = [...text];
  return chars.length <= n ? text : chars.slice(0, n).join('');
}
