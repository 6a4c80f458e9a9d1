/**
 * Random distributed scalar encoder (RDSE, as in Numenta's NAB detector): a value falls in bucket
 * round((x - offset) / resolution), and bucket b is the set of `active` bits hashed from the
 * integers b .. b + active - 1. Neighbouring buckets share all but one bit, buckets k apart share
 * active - k, distant buckets share almost none; any value, however far out, gets a bucket.
 */
import { hash32 } from './hash.js';

/** Buckets further out are clamped, so bucket arithmetic stays exact in doubles. */
const MAX_BUCKET = 1 << 24;

export class ScalarEncoder {
  constructor(
    /** Output bits. */
    readonly size: number,
    /** Bits on per value. */
    readonly active: number,
    readonly resolution: number,
    readonly offset: number,
    readonly seed: number,
  ) {}

  /** The distinct bits on for x, ascending (a hash collision can leave fewer than `active`). */
  encode(x: number): Int32Array {
    const raw = Math.round((x - this.offset) / this.resolution);
    const bucket = Math.max(-MAX_BUCKET, Math.min(MAX_BUCKET, raw));
    const bits = new Int32Array(this.active);
    for (let k = 0; k < this.active; k++) bits[k] = hash32(this.seed, bucket + k) % this.size;
    bits.sort();
    let n = 0;
    for (let k = 0; k < bits.length; k++) if (k === 0 || bits[k] !== bits[k - 1]) bits[n++] = bits[k]!;
    return bits.slice(0, n);
  }
}
