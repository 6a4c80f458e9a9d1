/** Teams and their keys. */
import { sha256, newKey } from '../../auth/tokens.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../context.js';
import { conflict, notFound } from '../../http-errors.js';
import { newId } from '../../ids.js';
import type { Role, Team } from '../../storage/storage.js';

export async function createTeam(ctx: ServiceContext, name: string): Promise<{ id: string; name: string; key: string; keyId: string }> {
  if (await ctx.storage.findTeamByName(name)) throw conflict(`a team named '${name}' exists`);
  const team: Team = { id: newId('tm'), name, createdAt: Date.now() };
  await ctx.storage.createTeam(team);
  const k = await createKey(ctx, team.id, 'admin');
  return { id: team.id, name, key: k.key, keyId: k.id };
}

export async function createKey(ctx: ServiceContext, teamId: string, role: Role): Promise<{ id: string; teamId: string; role: Role; key: string }> {
  const k = newKey();
  await ctx.storage.createKey({ id: k.id, teamId, role, hash: sha256(k.secret), createdAt: Date.now() });
  return { id: k.id, teamId, role, key: k.key };
}

/** The admin token reaches every team; a team's admin key only its own (another team's answers 404). */
export async function teamFor(ctx: ServiceContext, p: Principal, teamId: string): Promise<Team> {
  const team = await ctx.storage.getTeam(teamId);
  if (!team || (p.kind === 'team' && p.teamId !== teamId)) throw notFound(`team ${teamId}`);
  return team;
}

export async function deleteKey(ctx: ServiceContext, p: Principal, keyId: string): Promise<void> {
  const k = await ctx.storage.getKey(keyId);
  if (!k || (p.kind === 'team' && p.teamId !== k.teamId)) throw notFound(`key ${keyId}`);
  await ctx.storage.deleteKey(keyId);
}
