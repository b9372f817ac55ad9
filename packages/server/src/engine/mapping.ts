/**
 * Elasticsearch dynamic mapping over flattened field paths. A document is walked once: objects
 * become dotted paths, each leaf value is typed on first sight (strings → text with a `.keyword`
 * behaviour, ISO-8601 strings → date, integers → long, other numbers → double, booleans → boolean)
 * and coerced into the established type afterwards, as ES does with `coerce: true`. Fields seen
 * for the first time are staged per document and published only if the whole document parses.
 */
import { parseDateString, parseDateValue } from './dates.js';
import type { FieldDefinition } from './explicit-mapping.js';
import type { JsonLiterals } from './json-literals.js';
import type { FieldMapping, FieldType } from './types.js';

export interface MappedField extends FieldMapping {
  /** Storage column name (`c<N>`): DuckDB identifiers are case-insensitive, ES fields are not. */
  column: string;
  /** The column's number, which also names the field in the postings table. */
  postingsId: number;
}

/** A leaf value after coercion: string (text/keyword/date ISO), number, or boolean. */
/** A bigint only for a `long` beyond ±2^53, kept exact from the document's text. */
export type LeafValue = string | number | boolean | bigint;

export interface ExtractedDoc {
  /** Column values; arrays for multi-valued fields (always an array once the field is multi). */
  values: Map<MappedField, LeafValue[]>;
  /** Fields this document created. */
  created: MappedField[];
  /** Existing fields this document turned multi-valued. */
  promoted: MappedField[];
}

export class MappingError extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

const METADATA_FIELDS = new Set([
  '_id', '_index', '_source', '_version', '_seq_no', '_primary_term', '_routing', '_field_names',
  '_ignored', '_doc_count', '_tier', '_data_stream_timestamp', '_size', '_seq',
]);
export const MAX_FIELDS = 1000;
const MAX_DEPTH = 20;

export class Mapping {
  private readonly fields = new Map<string, MappedField>();
  private readonly objects = new Set<string>();

  constructor(
    fields: MappedField[] = [],
    private nextColumn = 1,
  ) {
    for (const f of fields) this.addField(f);
  }

  list(): MappedField[] {
    return [...this.fields.values()];
  }

  get size(): number {
    return this.fields.size;
  }

  get(path: string): MappedField | undefined {
    return this.fields.get(path);
  }

  isObject(path: string): boolean {
    return this.objects.has(path);
  }

  /** Walks one document; throws MappingError (the item fails) without touching the mapping. */
  /** `literals`: what the document's text says beyond its parsed values (json-literals.ts). */
  extract(doc: unknown, literals?: JsonLiterals): ExtractedDoc {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new MappingError('failed to parse: the document must be a JSON object');
    }
    const walk = new DocWalk(this, literals);
    walk.object(doc as Record<string, unknown>, '', 0);
    for (const f of walk.created) this.addField(f);
    for (const f of walk.promoted) f.multi = true;
    return { values: walk.values, created: walk.created, promoted: walk.promoted };
  }

  /**
   * Adds explicitly mapped fields (before any document). Object paths only reserve the name.
   * Returns the created leaf fields, whose columns the caller creates.
   */
  define(definitions: FieldDefinition[]): MappedField[] {
    const created: MappedField[] = [];
    for (const d of definitions) {
      if (d.type === 'object') {
        this.objects.add(d.path);
        continue;
      }
      if (this.fields.has(d.path)) throw new MappingError(`field [${d.path}] is defined twice`);
      const column = this.allocateColumn();
      const f: MappedField = { path: d.path, type: d.type, multi: false, column, postingsId: Number(column.slice(1)), options: d.options };
      this.addField(f);
      created.push(f);
    }
    if (this.fields.size > MAX_FIELDS) throw new MappingError(`Limit of total fields [${MAX_FIELDS}] has been exceeded`);
    return created;
  }

  allocateColumn(): string {
    return `c${this.nextColumn++}`;
  }

  get columnCounter(): number {
    return this.nextColumn;
  }

  private addField(f: MappedField): void {
    this.fields.set(f.path, f);
    const parts = f.path.split('.');
    for (let i = 1; i < parts.length; i++) this.objects.add(parts.slice(0, i).join('.'));
  }
}

/** One document's walk. Allocates its staging maps only when the document brings new fields. */
class DocWalk {
  readonly values = new Map<MappedField, LeafValue[]>();
  readonly created: MappedField[] = [];
  readonly promoted: MappedField[] = [];
  private staged: Map<string, MappedField> | undefined;
  private stagedObjects: Set<string> | undefined;

  constructor(
    private readonly mapping: Mapping,
    private readonly literals: JsonLiterals | undefined,
  ) {}

  object(obj: Record<string, unknown>, prefix: string, depth: number): void {
    if (depth > MAX_DEPTH) throw new MappingError(`the document is nested deeper than [${MAX_DEPTH}] objects`);
    for (const key in obj) {
      if (!validKey(key)) throw new MappingError(`field name [${key}] cannot be empty, contain an empty path segment or an unpaired surrogate`);
      if (depth === 0 && key.charCodeAt(0) === 95 /* _ */ && METADATA_FIELDS.has(key)) {
        throw new MappingError(
          `Field [${key}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`,
        );
      }
      this.value(obj[key], depth === 0 ? key : prefix + '.' + key, depth, false);
    }
  }

  private value(v: unknown, path: string, depth: number, inArray: boolean): void {
    if (v === null || v === undefined) return;
    if (typeof v === 'object') {
      if (Array.isArray(v)) {
        for (const el of v) this.value(el, path, depth, true);
        return;
      }
      const leaf = this.field(path);
      if (leaf) throw new MappingError(`can't merge an object into the non-object field [${path}] of type [${leaf.type}]`);
      (this.stagedObjects ??= new Set()).add(path);
      this.object(v as Record<string, unknown>, path, depth + 1);
      return;
    }
    let field = this.field(path);
    if (!field) {
      if (this.mapping.isObject(path) || this.stagedObjects?.has(path)) {
        throw new MappingError(`object mapping for [${path}] tried to parse field [${path}] as object, but found a concrete value`);
      }
      field = this.create(path, v);
    }
    // An integer JSON.parse rounded: take the exact value from the text (in document order).
    const exact = typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v) ? this.literals?.bigInts?.get(path)?.shift() : undefined;
    const coerced = coerce(field, exact ?? v);
    const list = this.values.get(field);
    if (!list) {
      this.values.set(field, [coerced]);
      if (inArray) this.markMulti(field);
    } else {
      list.push(coerced);
      this.markMulti(field);
    }
  }

  private markMulti(field: MappedField): void {
    if (field.multi) return;
    // A field new in this document becomes multi-valued right away; an existing one is promoted
    // (its column widened to a LIST) only if the whole document parses.
    if (this.staged?.get(field.path) === field) field.multi = true;
    else if (!this.promoted.includes(field)) this.promoted.push(field);
  }

  private field(path: string): MappedField | undefined {
    return this.mapping.get(path) ?? this.staged?.get(path);
  }

  private create(path: string, v: unknown): MappedField {
    this.staged ??= new Map();
    if (this.mapping.size + this.staged.size >= MAX_FIELDS) {
      throw new MappingError(`Limit of total fields [${MAX_FIELDS}] has been exceeded while adding new fields [1]`);
    }
    const column = this.mapping.allocateColumn();
    const type = typeof v === 'number' && this.literals?.wholeFloats?.has(path) ? 'double' : inferType(v);
    const f: MappedField = { path, type, multi: false, column, postingsId: Number(column.slice(1)) };
    this.staged.set(path, f);
    this.created.push(f);
    return f;
  }
}

/** Elasticsearch rejects empty names and empty path segments (`a..b`, `.a`, `a.`). */
function validKey(key: string): boolean {
  if (key.length === 0) return false;
  const first = key.charCodeAt(0);
  if (first === 46 || key.charCodeAt(key.length - 1) === 46 || key.includes('..')) return false;
  return (first > 32 || key.trim() !== '') && key.isWellFormed();
}

function inferType(v: unknown): FieldType {
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) && Math.abs(v as number) < LONG_LIMIT ? 'long' : 'double';
    case 'string':
      return parseDateString(v) !== undefined ? 'date' : 'text';
    default:
      throw new MappingError(`unsupported value of type [${typeof v}]`);
  }
}

/** 2^63: a `long` (BIGINT) holds magnitudes below it (as doubles: up to 2^63 − 1024). */
const LONG_LIMIT = 2 ** 63;

function coerce(field: MappedField, v: unknown): LeafValue {
  if (typeof v === 'string' && !v.isWellFormed()) {
    // A lone UTF-16 surrogate (`"\ud800"` in the JSON) is not text any store can keep.
    throw new MappingError(`failed to parse field [${field.path}]: the string holds an unpaired Unicode surrogate`);
  }
  switch (field.type) {
    case 'text':
    case 'keyword': {
      const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
      if (s === undefined) break;
      // A lowercasing normalizer: the column holds what ES indexes (its doc values), _source the original.
      return field.options?.lowercase ? s.toLowerCase() : s;
    }
    case 'long':
    case 'double': {
      if (typeof v === 'bigint') {
        if (field.type === 'double') return Number(v);
        if (v >= 2n ** 63n || v < -(2n ** 63n)) {
          throw new MappingError(`failed to parse field [${field.path}] of type [long]: numeric value (${v}) out of range of long`);
        }
        return v;
      }
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (field.type === 'long' && Math.abs(n) >= LONG_LIMIT) {
        throw new MappingError(`failed to parse field [${field.path}] of type [long]: numeric value (${String(v)}) out of range of long`);
      }
      if (Number.isFinite(n)) return field.type === 'long' ? Math.trunc(n) : n;
      break;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true') return true;
      if (v === 'false') return false;
      break;
    case 'date': {
      const ms = parseDateValue(v);
      if (ms !== undefined && Math.abs(ms) <= 8.64e15) return new Date(ms).toISOString();
      break;
    }
  }
  const preview = JSON.stringify(v);
  throw new MappingError(
    `failed to parse field [${field.path}] of type [${field.type}]. Preview of field's value: '${preview.length > 60 ? preview.slice(0, 60) + '…' : preview}'`,
  );
}
