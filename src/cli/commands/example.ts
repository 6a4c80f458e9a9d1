import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { OptionsError } from '../../core/errors.js';
import type { KitResult } from '../../examples/kits/kit.js';
import type { ApproachResult } from '../../examples/kits/measure.js';
import { isKitName, KIT_NAMES, loadKit } from '../../examples/kits/registry.js';
import { numberFlag, wholeFlagOr } from '../number-flags.js';
import { folderOutput } from '../conventions.js';
import { writeJsonFile } from '../output.js';
import { renderTable } from '../table.js';
import { writeReportHtml } from '../report/html.js';
import { kitReport } from '../../examples/kits/report.js';

interface Opts {
  out?: string;
  json?: string;
  size: string;
  seed: string;
  quick?: boolean;
}

const CONTRACT: (keyof ApproachResult)[] = ['pr_auc', 'roc_auc', 'precision', 'recall', 'alerts_per_day'];

/** The printed comparison: one row per approach, the contract's columns then the kit's own. */
export function renderKitTable(r: KitResult): string {
  const columns = [...CONTRACT, ...r.extraColumns];
  return renderTable(
    ['approach', ...columns],
    r.approaches.map((a) => [a.name, ...columns.map((c) => a[c] as number | string | undefined)]),
  );
}

/** `vigil example <kit>`: a classic use end to end on seeded data, with a table comparing approaches. */
export function exampleCommand(): Command {
  const cmd = new Command('example')
    .description('run a kit end to end (fraud, intrusion, equipment, vitals, prices, image-defects) and compare approaches')
    .argument('[name]', `the kit: ${KIT_NAMES.join(', ')}`)
    .option('--out <dir>', 'folder for the HTML report (default vigil-example-<name>)')
    .option('--json <file>', 'write {kit, approaches: [{name, pr_auc, roc_auc, precision, recall, alerts_per_day}]} to this file')
    .option('--size <factor>', 'scale the data (2 = twice as many customers, machines, patients...)', '1')
    .option('--seed <n>', 'seed of the data and the approaches', '1')
    .option('--quick', 'leave out the deep approaches')
    .action(async (name: string | undefined, o: Opts) => {
      if (!name) {
        const lines = await Promise.all(KIT_NAMES.map(async (n) => `  ${n.padEnd(14)}${(await loadKit(n)).summary}`));
        process.stdout.write(`kits (vigil example <name>):\n${lines.join('\n')}\n`);
        return;
      }
      if (!isKitName(name)) throw new OptionsError(`unknown kit '${name}' (available: ${KIT_NAMES.join(', ')})`);
      const size = numberFlag(o.size, '--size');
      if (!(size > 0 && size <= 100)) throw new OptionsError(`--size must be above 0 and at most 100, got ${o.size}`);
      const seed = wholeFlagOr(o.seed, '--seed');
      const kit = await loadKit(name);
      const progress = process.env['VIGIL_NO_PROGRESS'] ? undefined : (m: string): void => void process.stderr.write(`${m}\n`);
      const result = await kit.run({ seed, size, quick: o.quick, onProgress: progress });
      process.stdout.write(`${result.kit}: ${result.data}\nthresholds chosen on validation for ${result.budget}; figures on test\n\n${renderKitTable(result)}\n`);
      const dir = o.out ?? `vigil-example-${result.kit}`;
      await mkdir(dir, { recursive: true }).catch((e: unknown) => {
        throw new OptionsError(`--out ${dir}: cannot create the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      });
      const page = join(dir, `${result.kit}-report.html`);
      await writeReportHtml(page, kitReport(result), '--out');
      process.stdout.write(`\nreport: ${page} (${result.report.approach}${result.report.subject ? ` on ${result.report.subject}` : ''})\n`);
      if (o.json) await writeJsonFile(o.json, { kit: result.kit, data: result.data, budget: result.budget, approaches: result.approaches }, '--json');
    });
  return folderOutput(cmd);
}
