import { OptionsError } from '../core/errors.js';

/** The .wasm files of TF.js's wasm backend, by file name. */
export type WasmFiles = Partial<Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string>>;

let paths: string | WasmFiles | undefined;
/** Set once the backend has read the paths: a later change could no longer take effect. */
let read = false;

/**
 * Where the deep detectors' engine fetches TF.js's .wasm files in a browser: a URL prefix (e.g.
 * `/assets/`, with the three files of `@tensorflow/tfjs-backend-wasm/dist/*.wasm` under it), or
 * one URL per file (a `data:` or `blob:` URL inlines them). Without it the browser fetches them
 * beside the page; Node reads them from node_modules. Call it before the first deep fit or load.
 */
export function setWasmPaths(prefixOrFiles: string | WasmFiles): void {
  if (read) throw new OptionsError('setWasmPaths comes too late: the engine has already started (call it before the first deep fit or model load)');
  paths = prefixOrFiles;
}

/** What `setWasmPaths` set, if anything; the engine reads it once, as it starts. */
export function wasmPaths(): string | WasmFiles | undefined {
  read = true;
  return paths;
}
