import { Command } from 'commander';
import { describeOptions } from '../../detectors/define.js';
import { findSeriesDetector, seriesDetectorNames } from '../../detectors/series/registry.js';
import { seriesDetectors } from '../../detectors/series/index.js';
import { listDetectors } from '../../detectors/registry.js';
import { OptionsError } from '../../core/errors.js';
import { STREAM_DETECTOR_SUMMARIES, STREAM_DETECTORS } from '../../stream/registry.js';

type Kind = 'tabular' | 'series' | 'stream';

/**
 * `vigil detectors [name]`: what there is, in three sections, since a name may be both a series
 * and a stream detector (rolling-z): each line says which kind it is, and a name's details show
 * every kind that has it.
 */
export function detectorsCommand(): Command {
  return new Command('detectors')
    .description("list the detectors (tabular with their learning modes, series, stream), or show one detector's options")
    .argument('[name]', 'a detector name')
    .action((name?: string) => {
      if (name) {
        const found = describe(name);
        if (!found.length) {
          const all = [...listDetectors().map((d) => d.name), ...seriesDetectorNames(), ...STREAM_DETECTORS];
          throw new OptionsError(`unknown detector '${name}' (available: ${[...new Set(all)].join(', ')})`);
        }
        process.stdout.write(found.join(''));
        return;
      }
      const modes = (d: { modes: readonly string[] }): string => d.modes.join(',');
      const modeWidth = Math.max(...listDetectors().map((d) => modes(d).length));
      const rows: [Kind, string, string][] = [
        ...listDetectors().map((d): [Kind, string, string] => [
          'tabular',
          d.name,
          `${d.family.padEnd(9)}  ${modes(d).padEnd(modeWidth)}  ${(d.explains ? 'explains' : '').padEnd(8)}  ${d.summary}`,
        ]),
        ...seriesDetectors.map((d): [Kind, string, string] => ['series', d.name, d.summary]),
        ...STREAM_DETECTORS.map((n): [Kind, string, string] => ['stream', n, STREAM_DETECTOR_SUMMARIES[n].summary]),
      ];
      const width = Math.max(...rows.map((r) => r[1].length));
      const titles: Record<Kind, string> = {
        tabular: "tabular detectors (vigil fit / score / tune on rows; 'explains': score --explain writes per-column contributions)",
        series: 'series detectors (vigil fit --timestamp, score, stream --model; stream --detector when not a stream detector)',
        stream: 'stream detectors (vigil stream --detector: learn online, point by point)',
      };
      const out: string[] = [];
      for (const kind of ['tabular', 'series', 'stream'] as const) {
        out.push(`${out.length ? '\n' : ''}${titles[kind]}:`);
        for (const [k, n, summary] of rows) if (k === kind) out.push(`  ${n.padEnd(width)}  ${summary}`);
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}

function describe(name: string): string[] {
  const out: string[] = [];
  const d = listDetectors().find((x) => x.name === name);
  if (d) {
    const explains = d.explains ? 'yes: score --explain writes per-column contributions' : 'no: score --explain adds no columns';
    out.push(`${d.name} (tabular, ${d.family}; ${d.modes.join(', ')})\n  ${d.summary}\n  after: ${d.citation}\n  explains: ${explains}\n  options: ${describeOptions(d.schema) || 'none'}\n`);
  }
  const s = findSeriesDetector(name);
  if (s) out.push(`${s.name} (series detector)\n  ${s.summary}\n  after: ${s.citation}\n  options: ${describeOptions(s.schema) || 'none'}\n`);
  const st = (STREAM_DETECTORS as readonly string[]).includes(name) ? STREAM_DETECTOR_SUMMARIES[name as (typeof STREAM_DETECTORS)[number]] : undefined;
  if (st) out.push(`${name} (stream detector, vigil stream --detector)\n  ${st.summary}\n  options: ${st.options.join(', ')}\n`);
  return out;
}
