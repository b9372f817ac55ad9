import { describe, expect, it } from 'vitest';
import { parseBulk } from '../src/engine/bulk.js';

const lines = (...l: unknown[]) => l.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');

describe('parseBulk (NDJSON)', () => {
  it('reads every action, skips blank lines and CRLF, keeps source text byte-for-byte', () => {
    const src = '{ "a" : 1 ,"b":"x" }';
    const ops = parseBulk(
      ['', '{"index":{"_id":"1"}}\r', src + '\r', '', '{"create":{}}', '{"c":2}', '{"update":{"_id":"1"}}', '{"doc":{"a":2},"doc_as_upsert":true}', '{"delete":{"_id":"9"}}'].join('\n'),
      'ds',
    );
    expect(ops.map((o) => o.action)).toEqual(['index', 'create', 'update', 'delete']);
    expect(ops[0]).toMatchObject({ dataset: 'ds', id: '1', sourceText: src });
    expect(ops[1].id).toBeUndefined();
    expect(ops[2]).toMatchObject({ id: '1', doc: { a: 2 }, docAsUpsert: true });
    expect(ops.every((o) => !o.error)).toBe(true);
  });

  it('takes the line after index/create/update as its source, even if it looks like an action', () => {
    const ops = parseBulk(lines({ index: { _id: 'x' } }, { index: { looks: 'like an action' } }), 'ds');
    expect(ops).toHaveLength(1);
    expect(ops[0].doc).toEqual({ index: { looks: 'like an action' } });
  });

  it('routes items by _index and accepts numeric ids', () => {
    const ops = parseBulk(lines({ index: { _index: 'other', _id: 7 } }, { a: 1 }), 'ds');
    expect(ops[0]).toMatchObject({ dataset: 'other', id: '7' });
  });

  it('turns each malformed piece into an item error and re-synchronises', () => {
    const ops = parseBulk(
      lines(
        'not json at all',
        { a: 'its source' },
        { upsert: { _id: '1' } },
        { index: { _id: 'ok' } },
        { fine: true },
        { index: { _id: '' } },
        { a: 1 },
        { index: { _id: 'bad-source' } },
        '{"unterminated": ',
        { update: { _id: 'u' } },
        { script: { source: 'ctx._source.a++' } },
        { update: {} },
        { doc: { a: 1 } },
        { delete: {} },
        { index: { _id: 'last-without-source' } },
      ),
      'ds',
    );
    const errors = ops.map((o) => o.error?.type ?? 'ok');
    expect(errors).toEqual([
      'illegal_argument_exception', // not json: its source line is skipped with it
      'illegal_argument_exception', // unknown action "upsert"
      'ok',
      'illegal_argument_exception', // empty _id
      'document_parsing_exception', // malformed source
      'illegal_argument_exception', // scripted update
      'action_request_validation_exception', // update without id
      'action_request_validation_exception', // delete without id
      'action_request_validation_exception', // no source line
    ]);
    expect(ops[2].id).toBe('ok');
  });

  it('needs a dataset from the URL or the action', () => {
    const [op] = parseBulk(lines({ index: {} }, { a: 1 }), undefined);
    expect(op.error?.type).toBe('action_request_validation_exception');
  });

  it('refuses ids over 512 bytes and non-object sources', () => {
    const ops = parseBulk(lines({ index: { _id: 'x'.repeat(513) } }, { a: 1 }, { index: {} }, [1, 2]), 'ds');
    expect(ops[0].error?.reason).toMatch(/too long/);
    expect(ops[1].error?.type).toBe('document_parsing_exception');
  });
});
