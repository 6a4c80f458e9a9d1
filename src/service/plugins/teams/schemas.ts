import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'write', 'read']);
export const createTeamBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const teamCreated = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string().describe("the team's first key (role admin); shown once, stored only as a hash"),
  keyId: z.string(),
});
export const teamView = z.object({ id: z.string(), name: z.string(), createdAt: z.number() });
export const teamList = z.object({ teams: z.array(teamView) });
export const createKeyBody = z.object({ role: roleSchema }).strict();
export const keyCreated = z.object({ id: z.string(), teamId: z.string(), role: roleSchema, key: z.string().describe('shown once, stored only as a hash') });
export const deleted = z.object({ deleted: z.literal(true) });
export const keyView = z.object({ id: z.string(), teamId: z.string(), role: roleSchema, createdAt: z.number() });
export const keyList = z.object({ keys: z.array(keyView).describe('ids and roles; a key itself is never shown again') });
