import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const engineModule = fileURLToPath(new URL('../engine.js', import.meta.url));

/** Starts the default engine in a fresh process (the backend is chosen once per process). */
function startWith(backend: string): { out: string; err: string } {
  const script = `import(${JSON.stringify(engineModule)}).then((m) => m.defaultEngine()).then((e) => console.log(e.name), (e) => console.error(e.name + ': ' + e.message));`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, VIGIL_BACKEND: backend }, encoding: 'utf8' });
  return { out: r.stdout.trim(), err: r.stderr.trim() };
}

describe('TF.js backend choice', () => {
  test('VIGIL_BACKEND forces a backend', () => {
    assert.equal(startWith('cpu').out, 'tfjs-cpu');
    assert.equal(startWith('WASM').out, 'tfjs-wasm');
  });

  test('an unknown or unavailable backend is a clear OptionsError', () => {
    assert.match(startWith('gpu').err, /^OptionsError: VIGIL_BACKEND='gpu' is not a backend \(choose one of: tensorflow, wasm, cpu\)/);
    const tfNode = startWith('tensorflow');
    // tfjs-node is never a dependency; where someone installed it, it simply starts.
    if (tfNode.out !== 'tfjs-tensorflow') assert.match(tfNode.err, /^OptionsError: VIGIL_BACKEND=tensorflow: the TF.js backend could not start/);
  });
});
