/**
 * HTTP Basic authentication with `accessKey:secretKey`, for Elasticsearch tooling that cannot sign
 * (curl scripts, Grafana, the ES clients' `auth: {username, password}`). The operator turns it on
 * explicitly because the secret then travels with every request: it is only safe over TLS.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../policy/principal.js';
import { unauthorized, type KeyLookup } from './sigv4.js';

const PREFIX = /^basic\s+/i;

/** True when the Authorization header uses the Basic scheme (whether or not it is allowed). */
export const isBasicAuthorization = (header: string | undefined): boolean => header !== undefined && PREFIX.test(header.trim());

// Hashing both sides first gives equal-length inputs, so timingSafeEqual never leaks the length.
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
/** Compared against when the access key is unknown, so both paths cost the same. */
const DECOY = digest('infino-basic-auth-decoy');

/** Verify `Basic base64(accessKey:secretKey)` against the key store; 401 otherwise. */
export function verifyBasic(header: string, lookup: KeyLookup): Principal {
  const encoded = header.trim().replace(PREFIX, '');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw unauthorized('Malformed Basic credentials: expected base64(accessKey:secretKey)');
  const accessKey = decoded.slice(0, colon);
  const key = lookup(accessKey);
  const ok = timingSafeEqual(digest(decoded.slice(colon + 1)), key ? digest(key.secret) : DECOY);
  // Same message for an unknown key and a wrong secret: do not tell a prober which keys exist.
  if (!key || !ok) throw unauthorized('Invalid credentials');
  return { user: key.user, roles: [...key.roles], accessKey };
}
