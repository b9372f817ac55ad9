/**
 * Typed access to one aggregation body with Elasticsearch's parser errors: unknown fields (with a
 * suggestion), values of the wrong JSON type, numbers and booleans given as strings (which ES accepts).
 */
import type { Scalar } from '../../query/ast.js';
import { contentError, illegalArgument, suggest, tokenOf } from './errors.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export class BodyReader {
  /**
   * @param where the path used in error reasons, e.g. `aggs.by_cat.terms`
   * @param known every field this aggregation accepts
   */
  constructor(
    readonly body: Json,
    readonly where: string,
    known: readonly string[],
  ) {
    for (const k of Object.keys(body)) {
      if (k === 'script') throw illegalArgument(`[${where}] scripts are not supported`);
      if (!known.includes(k)) throw contentError(`[${where}] unknown field [${k}]${suggest(k, known)}`);
    }
  }

  has(k: string): boolean {
    return this.body[k] !== undefined && this.body[k] !== null;
  }

  private wrongType(k: string): never {
    throw contentError(`[${this.where}] ${k} doesn't support values of type: ${tokenOf(this.body[k])}`);
  }

  string(k: string): string | undefined {
    const v = this.body[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.wrongType(k);
  }

  number(k: string): number | undefined {
    const v = this.body[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw contentError(`[${this.where}] failed to parse field [${k}]: [${v}] is not a number`);
      return n;
    }
    return this.wrongType(k);
  }

  int(k: string): number | undefined {
    const n = this.number(k);
    return n === undefined ? undefined : Math.trunc(n);
  }

  bool(k: string): boolean | undefined {
    const v = this.body[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    if (typeof v === 'string') throw contentError(`[${this.where}] failed to parse field [${k}]: [${v}] is not a boolean`);
    return this.wrongType(k);
  }

  object(k: string): Json | undefined {
    const v = this.body[k];
    if (v === undefined || v === null) return undefined;
    return isObject(v) ? v : this.wrongType(k);
  }

  array(k: string): unknown[] | undefined {
    const v = this.body[k];
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? v : this.wrongType(k);
  }

  scalar(k: string): Scalar | undefined {
    const v = this.body[k];
    if (v === undefined || v === null) return undefined;
    return isScalar(v) ? v : this.wrongType(k);
  }

  /** `format`: the string the parser accepts for date/number formats. */
  format(): string | undefined {
    return this.string('format');
  }
}

/** Reads a sub-object (`extended_bounds`, a range, a source) with its own known fields. */
export function subReader(parent: BodyReader, k: string, known: readonly string[]): BodyReader | undefined {
  const o = parent.object(k);
  return o ? new BodyReader(o, `${parent.where}.${k}`, known) : undefined;
}
