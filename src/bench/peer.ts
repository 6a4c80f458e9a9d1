import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { VigilError } from '../core/errors.js';

const run = promisify(execFile);

export const PEER_PYTHON = process.env['VIGIL_PEER_PYTHON'] ?? '/usr/bin/python3';

/**
 * Where the reference peer script is: `VIGIL_PEERS`, else `../shared/peers/peers.py` beside the
 * working directory or beside this package's checkout. Undefined when there is none.
 */
export function findPeerScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env['VIGIL_PEERS'],
    resolve(process.cwd(), '../shared/peers/peers.py'),
    resolve(here, '../../../shared/peers/peers.py'),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** Runs the peer script with arguments and parses the one JSON object it prints. */
export async function runPeer(script: string, args: string[], timeoutMs = 3_600_000): Promise<unknown> {
  return runPeerPython(script, [script, ...args], timeoutMs);
}

/** Runs the peer's Python with these arguments (the script among them) and parses the last line it prints as JSON. */
export async function runPeerPython(script: string, pythonArgs: string[], timeoutMs = 3_600_000): Promise<unknown> {
  let stdout: string;
  try {
    ({ stdout } = await run(PEER_PYTHON, pythonArgs, { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const last = (err.stderr ?? '').trim().split('\n').pop() || err.message.split('\n')[0];
    throw new VigilError(`the peer (${PEER_PYTHON} ${script}) failed: ${last}`);
  }
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '');
  } catch {
    throw new VigilError(`the peer (${script}) printed no JSON result`);
  }
}

export interface PeerTabular {
  detectors: Record<string, { roc: number; p_at_n: number; seconds: number }>;
}

/** Peer detector names for ours, where the peer has the same method. */
export const PEER_NAME: Record<string, string> = {
  iforest: 'iforest',
  lof: 'lof',
  knn: 'knn',
  ecod: 'ecod',
  autoencoder: 'autoencoder_torch',
};
