import { Command } from 'commander';
import { describeOptions } from '../../detectors/define.js';
import { getDetector, listDetectors } from '../../detectors/registry.js';

/** `vigil detectors [name]`: what there is, and each detector's options. */
export function detectorsCommand(): Command {
  return new Command('detectors')
    .description('list the detectors with their learning modes, or show one detector\'s options')
    .argument('[name]', 'a detector name')
    .action((name?: string) => {
      if (name) {
        const d = getDetector(name);
        process.stdout.write(
          `${d.name} (${d.family}; ${d.modes.join(', ')})\n  ${d.summary}\n  after: ${d.citation}\n  options: ${describeOptions(d.schema) || "none"}\n`,
        );
        return;
      }
      const width = Math.max(...listDetectors().map((d) => d.name.length));
      const modes = (d: { modes: readonly string[] }): string => d.modes.join(',');
      const modeWidth = Math.max(...listDetectors().map((d) => modes(d).length));
      for (const d of listDetectors()) {
        process.stdout.write(`${d.name.padEnd(width)}  ${d.family.padEnd(9)}  ${modes(d).padEnd(modeWidth)}  ${d.summary}\n`);
      }
    });
}
