/**
 * Dataset names in SQL. Every table reference DuckDB's parser found is looked up in the catalogue
 * (through the caller's policy check) and its name tokens are replaced by the dataset's relation;
 * an alias keeps the name users wrote, so `products.price` or `doc.level` still bind.
 * Names resolve in each spelling the reference uses: `products`, `"sample-data.rel"`, `` `x.rel` ``
 * (already turned into a double-quoted name) and unquoted dotted `logs.doc`, which DuckDB itself
 * would read as schema `logs`, table `doc`.
 */
import { ApiError, indexNotFound } from '../errors.js';
import { byteToCharOffset, type QualifiedColumn, type TableReference } from './ast.js';
import { notAllowed, SYSTEM_SCHEMAS } from './rules.js';
import { type Edit, nameChainEnd, quoteIdent, type Token } from './tokens.js';

export interface Catalogue {
  /** Every dataset name (authorisation is asked separately, per referenced dataset). */
  names(): string[];
  /** Throws 403/404 unless the caller may read `name`; returns its SQL relation name. */
  relationFor(name: string): string;
}

/** The dataset a written name means: an exact match, else the only case-insensitive one (SQL folds case). */
export function findDataset(written: string, names: string[]): string | undefined {
  if (names.includes(written)) return written;
  const folded = names.filter((n) => n.toLowerCase() === written.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}

export interface Resolution {
  edits: Edit[];
  /** Distinct datasets referenced, in first-reference order. */
  datasets: string[];
}

export function resolveTables(
  text: string,
  tokens: Token[],
  refs: TableReference[],
  columns: QualifiedColumn[],
  catalogue: Catalogue,
): Resolution {
  const names = catalogue.names();
  const datasets: string[] = [];
  const edits: Edit[] = [];
  /** Lower-cased dotted names referenced without an alias → the binding they got. */
  const dotted = new Map<string, string>();
  for (const ref of refs) {
    const written = ref.parts.join('.');
    const dataset = findDataset(written, names);
    if (dataset === undefined) {
      if (ref.parts.length > 1 && SYSTEM_SCHEMAS.has(ref.parts[ref.parts.length - 2].toLowerCase())) {
        throw notAllowed(`${written} is part of the database catalogue, which SQL cannot read; list datasets with SHOW TABLES and their columns with DESCRIBE <dataset>`);
      }
      throw indexNotFound(written);
    }
    const relation = catalogue.relationFor(dataset);
    if (!datasets.includes(dataset)) datasets.push(dataset);
    const at = byteToCharOffset(text, ref.location);
    const first = tokens.findIndex((t) => t.start === at);
    const end = first < 0 ? first : nameChainEnd(tokens, first);
    if (first < 0 || end === first) throw new ApiError(400, 'parsing_exception', `cannot locate the table reference ${written} in the statement`);
    const binding = ref.alias === '' ? ` AS ${quoteIdent(ref.parts[ref.parts.length - 1])}` : '';
    edits.push({ start: tokens[first].start, end: tokens[end - 1].end, text: relation + binding });
    if (ref.alias === '' && ref.parts.length > 1) dotted.set(written.toLowerCase(), ref.parts[ref.parts.length - 1]);
  }
  // `logs.doc.level` after `FROM logs.doc` (no alias): SQL lets the full name qualify a column, but
  // the reference now binds as "doc", so the qualifier is rewritten to that binding.
  for (const col of columns) {
    for (let n = col.parts.length - 1; n >= 2; n--) {
      const binding = dotted.get(col.parts.slice(0, n).join('.').toLowerCase());
      if (binding === undefined) continue;
      const first = tokens.findIndex((t) => t.start === byteToCharOffset(text, col.location));
      const qualifierEnd = first + 2 * n - 1;
      if (first < 0 || nameChainEnd(tokens, first) < qualifierEnd) break;
      edits.push({ start: tokens[first].start, end: tokens[qualifierEnd - 1].end, text: quoteIdent(binding) });
      break;
    }
  }
  return { edits, datasets };
}
