/**
 * Keys and the admin token. A team key is `vk_<id>_<secret>`: the id finds the stored record, the
 * secret (256 random bits) is stored only as its sha256 and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Constant-time comparison of a presented secret with a stored sha256 hex digest. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function newKey(): { id: string; secret: string; key: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `vk_${id}_${secret}` };
}

/** The id and secret of a presented team key, or null when it is not shaped like one. */
export function splitKey(key: string): { id: string; secret: string } | null {
  const m = /^vk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(key);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

export const newAdminToken = (): string => `va_${randomBytes(32).toString('base64url')}`;

/** The bearer token of an Authorization header, or null. */
export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}
