import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// dist/api-report.test.js -> the repository's api/ folder (the generator is a dev script, not part of dist).
const generator = fileURLToPath(new URL('../api/report.mjs', import.meta.url));

interface Generator {
  apiReport(): string;
  REPORT_PATH: string;
}

test('the built public API (vigil, vigil/node) is the one committed in api/vigil.api.md', async () => {
  const { apiReport, REPORT_PATH } = (await import(pathToFileURL(generator).href)) as Generator;
  const built = apiReport();
  const committed = readFileSync(REPORT_PATH, 'utf8');
  if (built === committed) return;
  const a = committed.split('\n');
  const b = built.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const heading = (lines: string[]): string => lines.slice(0, i + 1).reverse().find((l) => l.startsWith('### ')) ?? '(top)';
  assert.fail(
    `the public API differs from api/vigil.api.md, first at line ${i + 1} (${heading(b)}):\n` +
      `  committed: ${a[i] ?? '(end)'}\n  built:     ${b[i] ?? '(end)'}\n` +
      'if the change is meant, run `npm run api-report` and commit api/vigil.api.md with it',
  );
});

test('the report lists every export with a kind and a declaration', async () => {
  const { apiReport } = (await import(pathToFileURL(generator).href)) as Generator;
  const text = apiReport();
  assert.match(text, /^## 'vigil' \(\d+ exports\)$/m);
  assert.match(text, /^## 'vigil\/node' \(\d+ exports\)$/m);
  assert.match(text, /^### function rocAuc\n\n```ts\nfunction rocAuc\(labels: Labels, scores: Scores\): number;\n```$/m);
  assert.match(text, /^### const autoencoder\n/m);
  assert.match(text, /^### function readFrame\n/m);
  assert.doesNotMatch(text, /^### other /m);
});
