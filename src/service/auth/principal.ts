/** Who is calling: the admin token, or a team key with its role. */
import type { Role, Storage } from '../storage/storage.js';
import { forbidden, unauthorized } from '../http-errors.js';
import { secretMatches, splitKey } from './tokens.js';

export type Principal = { kind: 'admin' } | { kind: 'team'; teamId: string; keyId: string; role: Role };

/** What a route needs: nothing, the admin token, a team key of at least a role, or either of the two. */
export type Access = 'open' | 'admin' | 'read' | 'write' | 'team-admin' | 'admin-or-read' | 'admin-or-team-admin';

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 };

export async function resolvePrincipal(storage: Storage, adminHash: string, token: string): Promise<Principal | null> {
  const parts = splitKey(token);
  if (parts) {
    const k = await storage.getKey(parts.id);
    if (!k || !secretMatches(parts.secret, k.hash)) return null;
    return { kind: 'team', teamId: k.teamId, keyId: k.id, role: k.role };
  }
  return secretMatches(token, adminHash) ? { kind: 'admin' } : null;
}

/** Throws 401/403 unless `p` may use a route of `access`. */
export function authorize(access: Access, p: Principal | null): void {
  if (access === 'open') return;
  if (!p) throw unauthorized('a valid key is required (Authorization: Bearer <key>)');
  if (p.kind === 'admin') {
    if (access === 'admin' || access.startsWith('admin-or-')) return;
    throw forbidden('the admin token manages teams and keys; use a team key for streams');
  }
  if (access === 'admin') throw forbidden('this needs the admin token');
  const need: Role = access === 'write' ? 'write' : access === 'team-admin' || access === 'admin-or-team-admin' ? 'admin' : 'read';
  if (RANK[p.role] < RANK[need]) throw forbidden(`this needs a key with role ${need} or above; this key is ${p.role}`);
}
