import { FormatError } from '../core/errors.js';
import type { Json, StateArray } from '../detectors/detector.js';

/**
 * The model file: an 8-byte magic, a little-endian u32 format version and u32 manifest length,
 * the JSON manifest, then raw little-endian arrays, each aligned to 8 bytes and listed in the
 * manifest by name, type, offset and length. Plain data only: reading it runs no code.
 */
export const MAGIC = 'VIGILMDL';
export const FORMAT_VERSION = 1;

const DTYPES = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u8: Uint8Array,
} as const;
type DType = keyof typeof DTYPES;

interface ArrayEntry {
  name: string;
  dtype: DType;
  offset: number;
  length: number;
}

export interface Container {
  manifest: { [k: string]: Json };
  arrays: { [k: string]: StateArray };
}

function dtypeOf(a: StateArray): DType {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Int32Array) return 'i32';
  return 'u8';
}

const align8 = (n: number): number => (n + 7) & ~7;

export function encode(c: Container): Uint8Array {
  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(c.arrays)) {
    entries.push({ name, dtype: dtypeOf(a), offset, length: a.length });
    offset = align8(offset + a.byteLength);
  }
  const manifestBytes = new TextEncoder().encode(JSON.stringify({ ...c.manifest, arrays: entries as unknown as Json }));
  const head = align8(16 + manifestBytes.length);
  const out = new Uint8Array(head + offset);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, manifestBytes.length, true);
  out.set(manifestBytes, 16);
  for (const e of entries) {
    const a = c.arrays[e.name]!;
    writeLE(view, head + e.offset, a);
  }
  return out;
}

export function decode(bytes: Uint8Array): Container {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new FormatError('not a vigil model file (bad magic bytes)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    throw new FormatError(
      `model file format version ${version} is not supported: this vigil reads version ${FORMAT_VERSION}` +
        (version > FORMAT_VERSION ? ' (the file is newer; upgrade vigil)' : ''),
    );
  }
  const mlen = view.getUint32(12, true);
  if (16 + mlen > bytes.length) throw new FormatError('model file is truncated (manifest)');
  let manifest: { [k: string]: Json };
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + mlen)));
  } catch {
    throw new FormatError('model file manifest is not valid JSON');
  }
  const head = align8(16 + mlen);
  const entries = manifest['arrays'] as unknown as ArrayEntry[];
  if (!Array.isArray(entries)) throw new FormatError('model file manifest lists no arrays');
  const arrays: { [k: string]: StateArray } = {};
  for (const e of entries) {
    const T = DTYPES[e.dtype];
    if (!T) throw new FormatError(`model file array '${e.name}' has unknown type '${e.dtype}'`);
    const start = head + e.offset;
    if (start + e.length * T.BYTES_PER_ELEMENT > bytes.length) throw new FormatError(`model file is truncated (array '${e.name}')`);
    arrays[e.name] = readLE(view, start, T, e.length);
  }
  delete manifest['arrays'];
  return { manifest, arrays };
}

/** Byte order is fixed to little-endian so files move between machines unchanged. */
function writeLE(view: DataView, at: number, a: StateArray): void {
  const n = a.length;
  if (a instanceof Float64Array) for (let i = 0; i < n; i++) view.setFloat64(at + i * 8, a[i]!, true);
  else if (a instanceof Float32Array) for (let i = 0; i < n; i++) view.setFloat32(at + i * 4, a[i]!, true);
  else if (a instanceof Int32Array) for (let i = 0; i < n; i++) view.setInt32(at + i * 4, a[i]!, true);
  else for (let i = 0; i < n; i++) view.setUint8(at + i, a[i]!);
}

function readLE(view: DataView, at: number, T: (typeof DTYPES)[DType], n: number): StateArray {
  if (T === Float64Array) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + i * 8, true);
    return out;
  }
  if (T === Float32Array) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + i * 4, true);
    return out;
  }
  if (T === Int32Array) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(at + i * 4, true);
    return out;
  }
  return Uint8Array.from(new Uint8Array(view.buffer, view.byteOffset + at, n));
}
