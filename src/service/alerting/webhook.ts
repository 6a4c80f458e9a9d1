/**
 * Sending one webhook request to a sink. The URL is checked as typed (checkSinkUrl), its host name
 * resolved and every address checked (isPrivateAddress), and the request connects to the address
 * that was checked, so a DNS answer that changes between check and connect cannot reach a private
 * address. Redirects are not followed (a 3xx is a failed attempt).
 */
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { DataError } from '../../core/errors.js';
import { checkSinkUrl, isPrivateAddress, type AttemptResult } from '../../alerting/index.js';
import { VERSION } from '../../version.js';

/** A sink URL the service may not use (a 400 at the API; a failed attempt in the delivery loop). */
export class SinkRefused extends DataError {
  override name = 'SinkRefused';
}

export interface SinkTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** The address a sink URL reaches, after every check; throws SinkRefused. */
export async function resolveSink(raw: string, allowPrivate: boolean): Promise<SinkTarget> {
  const c = checkSinkUrl(raw, { allowPrivate });
  if (!c.ok) throw new SinkRefused(c.reason);
  const url = new URL(c.url);
  if (c.address !== null) return { url, address: c.address, family: c.address.includes(':') ? 6 : 4 };
  let found: { address: string; family: number }[];
  try {
    found = await lookup(c.hostname, { all: true, verbatim: true });
  } catch (e) {
    throw new SinkRefused(`sink host ${c.hostname} does not resolve (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!found.length) throw new SinkRefused(`sink host ${c.hostname} does not resolve`);
  if (!allowPrivate) {
    const bad = found.find((a) => isPrivateAddress(a.address));
    if (bad) throw new SinkRefused(`sink host ${c.hostname} resolves to the non-public address ${bad.address}; allow private sinks (--allow-private-sinks) to use it`);
  }
  return { url, address: found[0]!.address, family: found[0]!.family === 6 ? 6 : 4 };
}

export interface PostOptions {
  allowPrivate: boolean;
  timeoutMs: number;
}

/** POSTs `body` to the sink; never throws: every failure is an AttemptResult of kind 'error'. */
export async function postWebhook(rawUrl: string, body: string, headers: Record<string, string>, o: PostOptions): Promise<AttemptResult> {
  let target: SinkTarget;
  try {
    target = await resolveSink(rawUrl, o.allowPrivate);
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
  const mod = target.url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    const req = mod.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': `vigil/${VERSION}` },
      // Connect to the checked address whatever the resolver says now.
      lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
        opts.all ? cb(null, [{ address: target.address, family: target.family }]) : cb(null, target.address, target.family)) as unknown as http.RequestOptions['lookup'],
      timeout: o.timeoutMs,
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ kind: 'error', message: e.code ? `${e.code}: ${e.message}` : e.message }));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        const after = Number(res.headers['retry-after']);
        resolve({ kind: 'response', status: res.statusCode ?? 0, ...(Number.isFinite(after) && after >= 0 ? { retryAfterSeconds: after } : {}) });
      });
      res.on('error', (e) => resolve({ kind: 'error', message: e.message }));
    });
    req.end(body);
  });
}
