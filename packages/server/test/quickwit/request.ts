/**
 * Turns a scenario step into the HTTP request Quickwit's runner (Python `requests`) would send,
 * against our server instead of the step's `api_root`: the endpoint as written (it may hold `*`,
 * `,`, `%2C` or its own `?query`), `params` appended form-encoded as `requests` does (lists repeat the key), a `json` body, an
 * `ndjson` body (one line per item, newline-terminated) or the raw bytes of `body_from_file`, and
 * the step's headers. Bodies go with GET too, as Elasticsearch accepts them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RawResponse, rawRequest } from '../http-helpers.js';
import { evaluate } from './expr.js';
import type { Observed } from './match.js';
import type { PlannedStep } from './scenario.js';

export interface Target {
  port: number;
  /** Value of the Authorization header (HTTP Basic with an admin key). */
  authorization: string;
}

/** `$previous` leaves (`{$previous: 'val["_scroll_id"]'}`) read from the file's last response. */
function resolvePrevious(v: unknown, previous: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => resolvePrevious(x, previous));
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v);
  if (entries.length === 1 && entries[0][0] === '$previous') return evaluate(String(entries[0][1]), previous);
  return Object.fromEntries(entries.map(([k, x]) => [k, resolvePrevious(x, previous)]));
}

/** Python's `quote_plus`, which `requests` uses for params: only `A-Za-z0-9_.-~` stay, a space is `+`. */
const quotePlus = (s: string): string =>
  encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

function queryString(params: Record<string, unknown> | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${quotePlus(k)}=${quotePlus(String(item))}`);
  }
  return parts.join('&');
}

function buildUrl(planned: PlannedStep, previous: unknown): string {
  const endpoint = String(planned.step.endpoint ?? '').replace(/^\/+/, '');
  const params = resolvePrevious(planned.step.params, previous) as Record<string, unknown> | undefined;
  const qs = queryString(params);
  return `/${endpoint}${qs === '' ? '' : (endpoint.includes('?') ? '&' : '?') + qs}`;
}

export async function sendStep(target: Target, planned: PlannedStep, method: string, previous: unknown): Promise<Observed> {
  const { step } = planned;
  const headers: Record<string, string> = { 'user-agent': 'quickwit-rest-api-tests', ...step.headers };
  let body: string | Buffer | undefined;
  if (step.body_from_file !== undefined) {
    body = readFileSync(join(planned.dir, step.body_from_file));
  } else if (step.ndjson !== undefined) {
    body = step.ndjson.map((line) => JSON.stringify(resolvePrevious(line, previous))).join('\n') + '\n';
    headers['Content-Type'] = 'application/json';
  } else if (step.json !== undefined) {
    body = JSON.stringify(resolvePrevious(step.json, previous));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  headers.host = `127.0.0.1:${target.port}`;
  headers.authorization = target.authorization;
  const res: RawResponse = await rawRequest(target.port, method, buildUrl(planned, previous), headers, body);
  let json: unknown;
  try {
    json = res.text === '' ? undefined : JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text: res.text, json };
}
