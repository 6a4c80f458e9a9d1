/** Who the caller is, for service functions that act within one team. */
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../http-errors.js';

export function teamOf(req: FastifyRequest): string {
  const p = req.principal;
  if (!p || p.kind !== 'team') throw forbidden('this needs a team key');
  return p.teamId;
}
