/**
 * Parses an Elasticsearch bulk body (NDJSON: an action line, then a source line except for
 * `delete`) into operations. Nothing here throws for bad input: a malformed line becomes an
 * operation that carries its own error, so one bad item never costs the valid ones.
 */
import type { BulkAction } from './types.js';

export interface ItemError {
  status: number;
  type: string;
  reason: string;
}

export interface BulkOp {
  /** The action as written ('index' for a line we could not read an action from). */
  action: BulkAction;
  /** Target dataset (the action's `_index`, else the request's default). */
  dataset?: string;
  id?: string;
  /** index/create: the source line, byte-for-byte. */
  sourceText?: string;
  /** index/create: parsed source. update: the partial `doc`. */
  doc?: unknown;
  docAsUpsert?: boolean;
  /** update: the `upsert` document used when the target is missing. */
  upsert?: unknown;
  detectNoop?: boolean;
  ifSeqNo?: number;
  error?: ItemError;
}

const ACTIONS = new Set<BulkAction>(['index', 'create', 'update', 'delete']);
const MAX_ID_BYTES = 512;

const itemError = (reason: string, type = 'document_parsing_exception', status = 400): ItemError => ({ status, type, reason });

export function parseBulk(body: string, defaultDataset: string | undefined): BulkOp[] {
  const lines = body.split('\n');
  const ops: BulkOp[] = [];
  let i = 0;
  const nextLine = (): { text: string; lineNo: number } | undefined => {
    while (i < lines.length) {
      const raw = lines[i++];
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (text.trim() !== '') return { text, lineNo: i };
    }
    return undefined;
  };
  const peekIsAction = (): boolean => {
    for (let j = i; j < lines.length; j++) {
      if (lines[j].trim() === '') continue;
      return readAction(lines[j]) !== undefined;
    }
    return true;
  };

  for (let line = nextLine(); line; line = nextLine()) {
    const action = readAction(line.text);
    if (!action) {
      const reason = `Malformed action/metadata line [${line.lineNo}]: expected an object with one of [index, create, update, delete]`;
      // Re-synchronise: if the following line is not an action, it was this item's source.
      if (!peekIsAction()) nextLine();
      ops.push({ action: 'index', dataset: defaultDataset, error: itemError(reason, 'illegal_argument_exception') });
      continue;
    }
    const op: BulkOp = { action: action.name, dataset: defaultDataset };
    ops.push(op);
    const meta = action.meta;
    if (meta._index !== undefined) {
      if (typeof meta._index !== 'string' || meta._index === '') op.error = itemError('[_index] must be a non-empty string', 'illegal_argument_exception');
      else op.dataset = meta._index;
    }
    if (meta._id !== undefined && meta._id !== null) {
      const id = typeof meta._id === 'number' ? String(meta._id) : meta._id;
      if (typeof id !== 'string' || id === '') op.error ??= itemError('if _id is specified it must not be empty', 'illegal_argument_exception');
      else if (new TextEncoder().encode(id).length > MAX_ID_BYTES) {
        op.error ??= itemError(`id [${id.slice(0, 40)}…] is too long, must be no longer than ${MAX_ID_BYTES} bytes`, 'illegal_argument_exception');
      } else op.id = id;
    }
    if (typeof meta.if_seq_no === 'number') op.ifSeqNo = meta.if_seq_no;
    if (!op.dataset) op.error ??= itemError('index is missing: give `_index` in the action or use /{dataset}/json', 'action_request_validation_exception');
    if (action.name === 'delete') {
      if (op.id === undefined) op.error ??= itemError('id is missing for a delete', 'action_request_validation_exception');
      continue;
    }
    // As in Elasticsearch, the line after index/create/update is its source, whatever it looks like.
    const src = nextLine();
    if (!src) {
      op.error ??= itemError(`the [${action.name}] action on line [${line.lineNo}] has no source line`, 'action_request_validation_exception');
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(src.text);
    } catch (e) {
      op.error ??= itemError(`failed to parse the source on line [${src.lineNo}]: ${(e as Error).message}`);
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      op.error ??= itemError(`failed to parse the source on line [${src.lineNo}]: it must be a JSON object`);
      continue;
    }
    if (action.name === 'update') readUpdate(op, parsed as Record<string, unknown>);
    else {
      op.sourceText = src.text;
      op.doc = parsed;
    }
  }
  return ops;
}

function readUpdate(op: BulkOp, body: Record<string, unknown>): void {
  if (op.id === undefined) op.error ??= itemError('id is missing for an update', 'action_request_validation_exception');
  if ('script' in body) {
    op.error ??= itemError('scripted updates are not supported; send a partial document as `doc`', 'illegal_argument_exception');
    return;
  }
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(body.doc) && !isObj(body.upsert)) {
    op.error ??= itemError('an update needs a `doc` object (or an `upsert` document)', 'action_request_validation_exception');
    return;
  }
  op.doc = isObj(body.doc) ? body.doc : undefined;
  op.upsert = isObj(body.upsert) ? body.upsert : undefined;
  op.docAsUpsert = body.doc_as_upsert === true;
  op.detectNoop = body.detect_noop !== false;
}

function readAction(text: string): { name: BulkAction; meta: Record<string, unknown> } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1 || !ACTIONS.has(keys[0] as BulkAction)) return undefined;
  const meta = (v as Record<string, unknown>)[keys[0]];
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return undefined;
  return { name: keys[0] as BulkAction, meta: meta as Record<string, unknown> };
}
