import { Command } from 'commander';
import { optionWithDefault } from '../conventions.js';
import { readSmap } from '../../bench/smap.js';
import { SMAP_PRUNE, evaluateChannel, type ChannelResult, type SmapThresholdKind } from '../../bench/smap-eval.js';
import { seriesDetectors } from '../../detectors/series/index.js';
import { poolMetrics } from '../../evaluate/pooled.js';
import { writeJson } from '../commands/bench.js';
import { collect } from '../commands/fit.js';
import { progress } from '../progress.js';
import { parseSetPairs } from '../set-options.js';
import { renderTable } from '../table.js';
import { UsageError } from '../usage-error.js';
import { metricsJson, metricsTable, seriesDetectorSet } from './series.js';

const DEFAULT_DATA = '../shared/data/timeseries/smap';

interface Opts {
  data?: string;
  detector?: string;
  set: string[];
  threshold: string;
  q?: string;
  prune?: string;
  channels?: string;
  json?: string;
}

export function benchSmapCommand(): Command {
  return new Command('smap')
    .description('telemanom-style spacecraft telemetry (SMAP): fit on train, score test, event/range/point F1 per channel and overall')
    .addOption(optionWithDefault('--data <dir>', 'folder with labeled_anomalies.csv, train/, test/', DEFAULT_DATA))
    .option('--detector <name>', 'series detector to run')
    .option('--set <key=value>', 'a detector option; repeat for more', collect, [])
    .option('--threshold <kind>', "dynamic (Telemanom's, on the test scores) or pot (fitted on the train scores)", 'dynamic')
    .option('--q <risk>', 'POT risk (with --threshold pot)', '0.001')
    .addOption(optionWithDefault('--prune <p>', 'with --threshold dynamic: prune flagged sequences as Telemanom does with this share (its own is 0.13)', `${SMAP_PRUNE}, none`))
    .option('--channels <a,b>', 'only these channel ids')
    .option('--json <file>', 'write the results as JSON')
    .action(async (o: Opts) => {
      if (!o.detector) throw new UsageError('give --detector NAME (one of: ' + seriesDetectors.map((d) => d.name).join(', ') + ')');
      if (o.detector.includes(',')) throw new UsageError('bench smap runs one detector at a time');
      const [det] = seriesDetectorSet(o.detector, o.set);
      if (o.threshold !== 'dynamic' && o.threshold !== 'pot') throw new UsageError(`--threshold must be dynamic or pot, got '${o.threshold}'`);
      const q = Number(o.q);
      if (!(q > 0 && q < 1)) throw new UsageError(`--q must be in (0, 1), got '${o.q}'`);
      const prune = o.prune === undefined ? SMAP_PRUNE : Number(o.prune);
      if (!(prune >= 0 && prune < 1)) throw new UsageError(`--prune must be in [0, 1), got '${o.prune}'`);
      const channels = await readSmap(o.data ?? DEFAULT_DATA, { channels: o.channels?.split(',').map((s) => s.trim()).filter(Boolean) });
      const bar = progress(channels.length, `smap ${o.detector}`);
      const results: ChannelResult[] = [];
      for (const ch of channels) {
        results.push(await evaluateChannel(ch, det!.make(), o.threshold as SmapThresholdKind, { q, prune }));
        bar.update(results.length, ch.id);
      }
      bar.stop();
      const overall = poolMetrics(results.map((r) => r.parts), true);
      const per = results.map((r) => poolMetrics([r.parts], true));
      const label = det!.label;
      const lines = [
        `SMAP: detector '${label}', ${channels.length} channels, ${overall.event.tp + overall.event.fn} labelled sequences; threshold ${o.threshold}${o.threshold === 'pot' ? ` (q ${q})` : ` (prune ${prune})`}`,
        '',
        renderTable(
          ['channel', 'sequences', 'flagged', 'event P', 'event R', 'event F1', 'range F1', 'point F1'],
          results.map((r, j) => [r.id, r.parts.real, r.parts.predicted, per[j]!.event.precision, per[j]!.event.recall, per[j]!.event.f1, per[j]!.range.f1, per[j]!.point.f1]),
          3,
        ),
        '',
        'Overall:',
        metricsTable(overall),
      ];
      process.stdout.write(lines.join('\n') + '\n');
      if (o.json) {
        await writeJson(o.json, {
          detector: o.detector,
          threshold: o.threshold,
          ...metricsJson(overall),
          ...(o.threshold === 'pot' ? { q } : { prune }),
          options: parseSetPairs(o.set),
          channels: results.map((r, j) => ({ id: r.id, threshold: Number.isFinite(r.threshold) ? r.threshold : null, sequences: r.parts.real, flagged: r.flagged, ...metricsJson(per[j]!) })),
        });
      }
    });
}

