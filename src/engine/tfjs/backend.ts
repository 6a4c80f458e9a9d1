import * as tf from '@tensorflow/tfjs-core';
import { OptionsError } from '../../core/errors.js';
import { wasmPaths } from '../wasm.js';
import { registerCpuFallbacks } from './fallback.js';
import { registerTransposedMatMul } from './transposed-matmul.js';

/**
 * The one place that chooses TF.js's backend. Order of preference:
 *  1. `tensorflow` (native libtensorflow) when `@tensorflow/tfjs-node` happens to be installed;
 *     Vigil never depends on it, it is only loaded with a dynamic import;
 *  2. `wasm` (@tensorflow/tfjs-backend-wasm, XNNPACK + SIMD): the default;
 *  3. `cpu` (@tensorflow/tfjs-backend-cpu, plain JavaScript): the fallback; it also runs the
 *     few kernels WASM lacks (fallback.ts).
 * `VIGIL_BACKEND=tensorflow|wasm|cpu` forces one and fails clearly if it cannot start.
 *
 * Results are deterministic for a given backend; different backends may differ in the last bits.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let ready: Promise<BackendName> | undefined;

function requested(): BackendName | undefined {
  const env = typeof process !== 'undefined' ? process.env['VIGIL_BACKEND'] : undefined;
  if (env === undefined || env === '') return undefined;
  const name = env.toLowerCase();
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new OptionsError(`VIGIL_BACKEND='${env}' is not a backend (choose one of: ${BACKENDS.join(', ')})`);
  }
  return name as BackendName;
}

async function start(name: BackendName): Promise<void> {
  switch (name) {
    case 'tensorflow': {
      // A variable specifier keeps bundlers and tsc from resolving a package we do not depend on.
      const pkg = '@tensorflow/tfjs-node';
      await import(pkg);
      break;
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const paths = wasmPaths();
      if (paths !== undefined) wasm.setWasmPaths(paths);
      await registerCpuFallbacks('wasm');
      registerTransposedMatMul('wasm');
      break;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      break;
  }
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend '${name}' did not initialise`);
}

const HOST_EVENTS: readonly string[] = ['uncaughtException', 'unhandledRejection'];
type Listener = (...args: unknown[]) => void;

/**
 * Runs `work` and then removes the process listeners it added. The wasm backend's Emscripten
 * module installs `uncaughtException` and `unhandledRejection` handlers that rethrow, so a crash
 * in the host's own code would be reported from inside TF.js; a library leaves the host's
 * handlers as it found them. (TF.js offers no flag for this, and its own dispose() misses them.)
 */
async function keepingHostHandlers<T>(work: () => Promise<T>): Promise<T> {
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return work();
  // Node's typings overload each event name; the plain emitter view takes both alike.
  const host = process as unknown as { listeners(e: string): Listener[]; removeListener(e: string, l: Listener): unknown };
  const before = HOST_EVENTS.map((e) => new Set(host.listeners(e)));
  try {
    return await work();
  } finally {
    HOST_EVENTS.forEach((e, k) => {
      for (const l of host.listeners(e)) if (!before[k]!.has(l)) host.removeListener(e, l);
    });
  }
}

/** Starts the backend once per process and returns its name. */
export function ensureBackend(): Promise<BackendName> {
  ready ??= keepingHostHandlers(async () => {
    // Silences TF.js's console advice (e.g. "install tfjs-node"); errors still throw.
    tf.env().set('PROD', true);
    const forced = requested();
    if (forced) {
      try {
        await start(forced);
      } catch (e) {
        throw new OptionsError(`VIGIL_BACKEND=${forced}: the TF.js backend could not start: ${(e as Error).message}`);
      }
      return forced;
    }
    for (const name of BACKENDS) {
      try {
        await start(name);
        return name;
      } catch {
        // try the next one
      }
    }
    throw new OptionsError('no TF.js backend could start (tried tensorflow, wasm, cpu)');
  });
  ready.catch(() => (ready = undefined)); // a failed start may be retried, e.g. with another VIGIL_BACKEND
  return ready;
}
