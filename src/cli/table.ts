/** Renders rows as an aligned plain-text table; numbers right-aligned. */
export function renderTable(header: string[], rows: (string | number | null | undefined)[][], digits = 3): string {
  const cells = rows.map((r) => r.map((v) => fmt(v, digits)));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.every((r) => r[j] === null || r[j] === undefined || typeof r[j] === 'number'));
  const line = (r: string[]): string =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function fmt(v: string | number | null | undefined, digits: number): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return v;
  if (Number.isNaN(v)) return 'n/a';
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(digits);
}
