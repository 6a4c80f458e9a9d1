// A small hand-written SVG chart for the time-series examples: one panel per channel (the series,
// anomalous steps as red circles) and a panel of the anomaly score with the threshold dashed.
// No dependencies; long series are thinned to at most 1500 points per line (the markers are not).

const W = 1000;
const PANEL = 160;
const PAD = 40;

function esc(s) {
  return String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
}

function scale(values, extra = []) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...values, ...extra]) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  return { lo, hi };
}

function line(values, top, { lo, hi }, color) {
  const n = values.length;
  const every = Math.max(1, Math.ceil(n / 1500));
  const pts = [];
  for (let i = 0; i < n; i += every) {
    const x = PAD + ((W - 2 * PAD) * i) / Math.max(1, n - 1);
    const y = top + PANEL - ((values[i] - lo) / (hi - lo)) * PANEL;
    pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return `<polyline fill="none" stroke="${color}" stroke-width="1" points="${pts.join(' ')}"/>`;
}

/**
 * channels: [{ name, values }]; score: Float64Array; threshold: number; anomalies: step indices;
 * labels: { title, start, end } (text). Returns the SVG text.
 */
export function chartSvg({ title, channels, score, threshold, anomalies, start = '', end = '' }) {
  const panels = channels.length + 1;
  const H = panels * (PANEL + PAD) + PAD;
  const n = score.length;
  const xOf = (i) => PAD + ((W - 2 * PAD) * i) / Math.max(1, n - 1);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`];
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${PAD}" y="20" font-size="14">${esc(title)}</text>`);
  channels.forEach((ch, k) => {
    const top = PAD + k * (PANEL + PAD);
    const sc = scale(ch.values);
    out.push(`<text x="${PAD}" y="${top - 6}">${esc(ch.name)} (${sc.lo.toFixed(1)} to ${sc.hi.toFixed(1)})</text>`);
    out.push(`<rect x="${PAD}" y="${top}" width="${W - 2 * PAD}" height="${PANEL}" fill="none" stroke="#ccc"/>`);
    out.push(line(ch.values, top, sc, '#1f77b4'));
    for (const i of anomalies) {
      const y = top + PANEL - ((ch.values[i] - sc.lo) / (sc.hi - sc.lo)) * PANEL;
      out.push(`<circle class="anomaly" cx="${xOf(i).toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="red" fill-opacity="0.6"/>`);
    }
  });
  const top = PAD + channels.length * (PANEL + PAD);
  const sc = scale(score, [threshold]);
  const ty = top + PANEL - ((threshold - sc.lo) / (sc.hi - sc.lo)) * PANEL;
  out.push(`<text x="${PAD}" y="${top - 6}">anomaly score; dashed: threshold ${threshold.toFixed(2)}</text>`);
  out.push(`<rect x="${PAD}" y="${top}" width="${W - 2 * PAD}" height="${PANEL}" fill="none" stroke="#ccc"/>`);
  out.push(line(score, top, sc, '#555'));
  out.push(`<line class="threshold" x1="${PAD}" x2="${W - PAD}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="red" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${PAD}" y="${H - 12}">${esc(start)}</text>`, `<text x="${W - PAD}" y="${H - 12}" text-anchor="end">${esc(end)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Runs of flagged steps, merged when closer than `gap` steps: [{ start, end, peak }]. */
export function episodes(flags, score, gap) {
  const out = [];
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) continue;
    const last = out[out.length - 1];
    if (last && i - last.end <= gap) {
      last.end = i;
      if (score[i] > score[last.peak]) last.peak = i;
    } else out.push({ start: i, end: i, peak: i });
  }
  return out;
}
