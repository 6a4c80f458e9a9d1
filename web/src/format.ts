export const STATE_LABEL: Record<string, string> = { empty: 'no points yet', 'warming-up': 'warming up', scoring: 'scoring' };

export function ago(t: number | null, now = Date.now()): string {
  if (t === null || !Number.isFinite(t)) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

export const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(digits));

export const iso = (t: number): string => new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** A span of milliseconds in words: 45 s, 12 min, 3 h 20 min, 2 d 4 h. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
