/**
 * The webhook signature: HMAC-SHA256 over `${timestamp}.${body}` with the sink's secret, sent as
 * `X-Vigil-Signature: t=<unix seconds>,v1=<hex>` (Stripe's layout). The timestamp is inside what is
 * signed, so a receiver that checks it against its clock refuses replays of old requests. Web
 * Crypto (`globalThis.crypto.subtle`, in Node 20 and browsers) keeps this browser-safe.
 */
import { OptionsError } from '../core/errors.js';

export const SIGNATURE_HEADER = 'x-vigil-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How far a receiver lets a signature's timestamp be from its clock, by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

function hmacKey(secret: string, usage: 'sign' | 'verify'): ReturnType<typeof crypto.subtle.importKey> {
  if (!secret) throw new OptionsError('a webhook secret must not be empty');
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isInteger(timestamp) || timestamp < 0) throw new OptionsError(`signature timestamp must be whole unix seconds, got ${timestamp}`);
}

const hex = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** The hex HMAC-SHA256 of `${timestamp}.${body}`. */
export async function signBody(secret: string, timestamp: number, body: string): Promise<string> {
  checkTimestamp(timestamp);
  const key = await hmacKey(secret, 'sign');
  return hex(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)));
}

/** The value of the signature header for a body sent at `timestamp` (unix seconds). */
export async function signatureHeader(secret: string, timestamp: number, body: string): Promise<string> {
  return `t=${timestamp},v1=${await signBody(secret, timestamp, body)}`;
}

/** The headers of one delivery: content type, idempotency key and signature. */
export async function deliveryHeaders(secret: string, timestamp: number, body: string, idempotencyKey: string): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    [IDEMPOTENCY_HEADER]: idempotencyKey,
    [SIGNATURE_HEADER]: await signatureHeader(secret, timestamp, body),
  };
}

/**
 * What a receiver does: true when the header's signature is the body's under `secret` and its
 * timestamp is within `toleranceSeconds` of `now` (unix seconds). Malformed headers are false. The
 * comparison is Web Crypto's `verify`, which does not stop at the first differing byte.
 */
export async function verifySignature(
  secret: string,
  header: string,
  body: string,
  now: number,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): Promise<boolean> {
  const m = /^t=(\d{1,15}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now - t) > toleranceSeconds) return false;
  const sig = new Uint8Array(m[2]!.match(/../g)!.map((h) => parseInt(h, 16)));
  const key = await hmacKey(secret, 'verify');
  return crypto.subtle.verify('HMAC', key, sig, encoder.encode(`${t}.${body}`));
}
