export const STATE_LABEL: Record<string, string> = { empty: 'no points yet', 'warming-up': 'warming up', scoring: 'scoring' };

export function ago(t: number | null, now = Date.now()): string {
  if (t === null) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

export const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(digits));
