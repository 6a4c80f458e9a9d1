/**
 * Every file a command writes goes through here: the path is checked before the work starts (a
 * training run must not end in a stack trace because `--out` names a missing folder), the file
 * is written atomically (a temporary file beside it, renamed over it on success and removed on
 * failure, so a failed run never leaves a half-written file under the real name), and any error
 * while writing is one OutputError line.
 */
import { createWriteStream, constants, rmSync, type WriteStream } from 'node:fs';
import { access, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { basename, dirname, join } from 'node:path';
import { VigilError } from '../core/errors.js';

/** An output file cannot be written: its folder is missing or read-only, it is a folder, the disk is full. */
export class OutputError extends VigilError {
  override name = 'OutputError';
}

/**
 * Fails now, with the flag's name, when `path` cannot be written later: its folder is missing, is
 * not a folder, or is not writable, or the path itself is a folder.
 */
export async function checkOutputPath(path: string, flag: string): Promise<void> {
  const target = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw outputError(e, path, flag);
  });
  if (target?.isDirectory()) throw new OutputError(`${flag} ${path} is a directory; give a file name`);
  // A device or a pipe (/dev/stdout, a FIFO) is written in place, so only it must be writable.
  if (target && !target.isFile()) return checkWritable(path, path, flag);
  const dir = dirname(path);
  const d = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'ENOENT' ? new OutputError(`${flag} ${path}: folder ${dir} does not exist`) : outputError(e, path, flag);
  });
  if (!d.isDirectory()) throw new OutputError(`${flag} ${path}: ${dir} is not a folder`);
  await checkWritable(dir, path, flag);
}

async function checkWritable(what: string, path: string, flag: string): Promise<void> {
  try {
    await access(what, constants.W_OK);
  } catch (e) {
    throw outputError(e, path, flag);
  }
}

/** Writes a whole file atomically; see the module comment. */
export async function writeOutputFile(path: string, data: string | Uint8Array, flag = '--out'): Promise<void> {
  const out = await openOutput(path, flag);
  try {
    await out.write(data);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}

/** `JSON.stringify` pretty-printed, one trailing newline, written atomically. */
export async function writeJsonFile(path: string, value: unknown, flag = '--json-out'): Promise<void> {
  await writeOutputFile(path, JSON.stringify(value, null, 2) + '\n', flag);
}

/** A file being written in pieces: nothing appears under `path` until `commit`. */
export interface OutputFile {
  write(s: string | Uint8Array): Promise<void>;
  /** Flushes and moves the file into place. */
  commit(): Promise<void>;
  /** Removes what was written; safe to call after a failed write or commit. */
  abort(): Promise<void>;
}

/** Opens `path` for writing in pieces; a regular file (or a new one) is written atomically. */
export async function openOutput(path: string, flag = '--out'): Promise<OutputFile> {
  await checkOutputPath(path, flag);
  const existing = await stat(path).catch(() => undefined);
  const inPlace = existing !== undefined && !existing.isFile();
  const tmp = inPlace ? path : join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const stream = createWriteStream(tmp);
  const release = inPlace ? () => undefined : removeOnSignal(tmp);
  let failure: unknown;
  stream.on('error', (e) => {
    failure ??= e;
  });
  const fail = (e: unknown): never => {
    throw e instanceof VigilError ? e : outputError(e, path, flag);
  };
  const check = (): void => {
    if (failure !== undefined) fail(failure);
  };
  // finished() settles even when the stream failed or closed before it was called.
  const drain = (s: WriteStream): Promise<unknown> => Promise.race([once(s, 'drain'), finished(s)]);
  return {
    async write(s) {
      check();
      if (!stream.write(s)) await drain(stream).catch(fail);
      check();
    },
    async commit() {
      check();
      stream.end();
      await finished(stream).catch(fail);
      check();
      if (!inPlace) await rename(tmp, path).catch(fail);
      release();
    },
    async abort() {
      stream.destroy();
      await finished(stream).catch(() => undefined);
      if (!inPlace) await rm(tmp, { force: true });
      release();
    },
  };
}

/**
 * Ctrl-C (or a kill) while a file is being written: the temporary file goes too, and the
 * process ends as the signal would have ended it (status 130 for Ctrl-C in a shell). Returns the
 * function that stops watching.
 */
function removeOnSignal(tmp: string): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = (): void => {
      rmSync(tmp, { force: true });
      // Raised again with no listener: the default action ends the process at once, where
      // process.exit would wait for a read still blocked on a pipe.
      process.off(signal, handler);
      process.kill(process.pid, signal);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/** A file-system error while writing `path` as one line a user can act on. */
export function outputError(e: unknown, path: string, flag: string): OutputError | unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why: Record<string, string> = {
    ENOENT: 'its folder does not exist',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'the file is too large',
    EIO: 'an input/output error',
    ENAMETOOLONG: 'the name is too long',
  };
  if (typeof code !== 'string') return e;
  return new OutputError(`cannot write ${flag} ${path}: ${why[code] ?? (e as Error).message}`);
}
