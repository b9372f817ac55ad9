/**
 * A tiny path router on top of one fastify catch-all route. Fastify's own router cannot express
 * what the protocol needs: 405 + Allow for a known path with the wrong method, reserved first
 * segments that beat the `/{dataset}` catch-all (§0.2), and dataset names up to 255 bytes.
 */
import { badRequest } from '../errors.js';

export type Segment = { kind: 'static'; text: string } | { kind: 'param'; name: string } | { kind: 'rest'; name: string };

export interface Route<H> {
  methods: string[];
  pattern: string;
  segments: Segment[];
  handler: H;
}

export type MatchResult<H> =
  | { kind: 'found'; route: Route<H>; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

function compile(pattern: string): Segment[] {
  return pattern
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith(':') ? { kind: 'param', name: s.slice(1) } : s.startsWith('*') ? { kind: 'rest', name: s.slice(1) } : { kind: 'static', text: s }));
}

const RANK = { static: 2, param: 1, rest: 0 } as const;

/** Negative when `a` is more specific: static beats a parameter at the first position they differ. */
function specificity(a: Segment[], b: Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = RANK[b[i].kind] - RANK[a[i].kind];
    if (d !== 0) return d;
  }
  return b.length - a.length;
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`Malformed percent-encoding in path segment [${raw}]`);
  }
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(methods: string | string[], pattern: string, handler: H): this {
    this.routes.push({ methods: ([] as string[]).concat(methods), pattern, segments: compile(pattern), handler });
    this.routes.sort((a, b) => specificity(a.segments, b.segments));
    return this;
  }

  /** `rawPath` is the request path as received (still percent-encoded, no query). */
  match(method: string, rawPath: string): MatchResult<H> {
    // One trailing slash is tolerated (`/logs/` ≡ `/logs`), as Elasticsearch does.
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const raw = path === '/' || path === '' ? [] : path.slice(1).split('/');
    const lookupMethod = method === 'HEAD' ? 'GET' : method;
    // Routes are sorted most specific first, so the first route that matches both path and
    // method wins (`GET /sql` beats `GET /{dataset}`). A fixed path with the wrong method falls
    // through to the `/{dataset}` routes, whose name check then answers 400 for a reserved name
    // (`PUT /sql`), as §0.2 asks; 405 is left for paths that no route takes with this method.
    // Allow lists the methods of the most specific routes that match the path.
    let owner: Segment[] | undefined;
    const allow = new Set<string>();
    for (const route of this.routes) {
      const params = this.tryMatch(route.segments, raw);
      if (!params) continue;
      if (route.methods.includes(lookupMethod)) return { kind: 'found', route, params };
      owner ??= route.segments;
      if (specificity(route.segments, owner) === 0) route.methods.forEach((m) => allow.add(m));
    }
    return owner ? { kind: 'method_not_allowed', allow: [...allow] } : { kind: 'not_found' };
  }

  private tryMatch(segments: Segment[], raw: string[]): Record<string, string> | undefined {
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (seg.kind === 'rest') {
        if (i >= raw.length) return undefined;
        params[seg.name] = raw.slice(i).map(decodeSegment).join('/');
        return params;
      }
      if (i >= raw.length || raw[i] === '') return undefined;
      const text = decodeSegment(raw[i]);
      if (seg.kind === 'static') {
        if (text !== seg.text) return undefined;
      } else params[seg.name] = text;
    }
    return segments.length === raw.length ? params : undefined;
  }
}
