/** Writes through the public /v1 API with the signed-in key: POST, PATCH, DELETE, JSON or a file body. */
import { ApiError } from './api';
import { currentKey } from './session';

export async function send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const key = currentKey();
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType;
    payload = contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'unreachable', 'the Vigil service cannot be reached');
  }
  const out = (await res.json().catch(() => null)) as { error?: string; message?: string } | null;
  if (!res.ok) throw new ApiError(res.status, out?.error ?? 'error', out?.message ?? `the service answered ${res.status}`);
  return out as T;
}

/** A failed call in words for the page: what went wrong, never a blank panel. */
export function explain(e: unknown): string {
  if (e instanceof ApiError && e.status === 0) return 'The Vigil service cannot be reached; check that it is running.';
  if (e instanceof ApiError && e.status === 403) return `This key may not do that: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
