import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../core/errors.js';
import { setWasmPaths, wasmPaths } from './wasm.js';

test('setWasmPaths takes effect before the engine starts and is refused after, not ignored', () => {
  setWasmPaths('/assets/');
  assert.equal(wasmPaths(), '/assets/');
  assert.throws(() => setWasmPaths('/elsewhere/'), OptionsError);
  assert.equal(wasmPaths(), '/assets/');
});
