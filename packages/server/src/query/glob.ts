/** A name pattern where `*` is any run of characters (index names, field paths) as an anchored RegExp. */
export const globToRegExp = (pattern: string) =>
  new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
