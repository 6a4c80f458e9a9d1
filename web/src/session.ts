/** The signed-in key, kept for the browser session only; `#key=...` in the address signs in and is then removed. */
const STORE = 'vigil.key';

export function currentKey(): string | null {
  return sessionStorage.getItem(STORE);
}

export function setKey(key: string | null): void {
  if (key) sessionStorage.setItem(STORE, key);
  else sessionStorage.removeItem(STORE);
}

/** Takes a key from `#key=...` (so `npm start` can print a link that opens the demo) and clears it from the address bar. */
export function keyFromHash(): string | null {
  const m = /^#key=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(m[1]!);
}
