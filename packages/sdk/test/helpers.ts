import { InfinoClient, type ClientOptions } from '../src/index.js';

export const AK = 'AKIDEXAMPLE';
export const SK = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
export const NOW = new Date('2025-01-15T10:30:00Z');

export interface Captured {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A client whose fetch records requests and answers with a canned response. */
export function capturingClient(
  respond: (c: Captured) => { status?: number; body?: string } = () => ({ body: '{}' }),
  extra: Partial<ClientOptions> = {},
): { client: InfinoClient; calls: Captured[] } {
  const calls: Captured[] = [];
  const client = new InfinoClient({
    accessKey: AK,
    secretKey: SK,
    endpoint: 'http://localhost:8000',
    clock: () => NOW,
    retry: { initialIntervalMs: 1 },
    fetch: async (url, init) => {
      const c: Captured = {
        url,
        method: String(init.method),
        headers: { ...(init.headers as Record<string, string>) },
        body: init.body === undefined ? undefined : String(init.body),
      };
      calls.push(c);
      const r = respond(c);
      return new Response(r.body ?? '', { status: r.status ?? 200 });
    },
    ...extra,
  });
  return { client, calls };
}

export function signatureOf(headers: Record<string, string>): string {
  return /Signature=([0-9a-f]{64})$/.exec(headers['Authorization'] ?? '')?.[1] ?? '';
}
