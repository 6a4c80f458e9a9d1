import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DataError } from '../core/errors.js';
import { errorHandler } from './error-handler.js';

function reply(): { status: number; body: any; r: FastifyReply } {
  const out = { status: 0, body: null as any, r: null as unknown as FastifyReply };
  out.r = { code: (c: number) => ((out.status = c), out.r), send: (b: unknown) => ((out.body = b), out.r) } as unknown as FastifyReply;
  return out;
}

test('a bug answers 500 with a fixed message; its stack goes to the log only', () => {
  const logged: string[] = [];
  const rep = reply();
  errorHandler((m) => logged.push(m))(new TypeError('x is undefined') as FastifyError, {} as FastifyRequest, rep.r);
  assert.equal(rep.status, 500);
  assert.deepEqual(Object.keys(rep.body).sort(), ['error', 'message']);
  assert.doesNotMatch(JSON.stringify(rep.body), /x is undefined|at |\.js/);
  assert.match(logged[0]!, /TypeError: x is undefined/);
});

test('a named error from the core is a 400 with its one-line message', () => {
  const rep = reply();
  errorHandler(() => {})(new DataError('values.cpu: not a number') as unknown as FastifyError, {} as FastifyRequest, rep.r);
  assert.deepEqual([rep.status, rep.body], [400, { error: 'bad_request', message: 'values.cpu: not a number' }]);
});
