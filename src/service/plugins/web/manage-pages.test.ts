/**
 * The dashboard's models, jobs, rules and new-stream pages end to end in Debian's chromium against
 * `vigil serve --demo --allow-private-sinks`: upload a dataset and train (progress to done, loss
 * curve, ROC/PR curves), a stream from the generated form, a retrained candidate compared in
 * shadow, promoted and rolled back, a sink test-sent to a loopback receiver and an alert rule
 * created, edited and deleted. Every page: no console errors, axe without serious or critical
 * violations, screenshots at laptop and phone width.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { plantedOutliers } from '../../../testing/synthetic.js';
import { TestReceiver } from '../../alerting/test-receiver.js';
import { startE2E, until, type E2E, type Size } from './e2e.js';

let e2e: E2E;
let key: string;
const receiver = new TestReceiver();
const MACHINE = 'machine-7 temperature and vibration';

function labelledCsv(): Buffer {
  const { X, labels } = plantedOutliers({ rows: 240, cols: 3, outliers: 10, seed: 3 });
  const lines = ['a,b,c,label'];
  for (let i = 0; i < X.rows; i++) lines.push([0, 1, 2].map((j) => X.data[i * 3 + j]!.toFixed(5)).concat(String(labels[i])).join(','));
  return Buffer.from(lines.join('\n') + '\n');
}

async function signedIn(size: Size, path: string) {
  const o = await e2e.open(size);
  o.page.on('dialog', (d) => void d.accept());
  await o.page.goto(`${e2e.url}${path}#key=${key}`);
  return o;
}

async function streamId(name: string): Promise<string> {
  return (await e2e.call('/v1/streams', key)).streams.find((s: any) => s.name === name).id;
}

before(async () => {
  await receiver.up();
  e2e = await startE2E({ args: ['--allow-private-sinks'] });
  key = e2e.demoKey;
});

after(async () => {
  await e2e?.stop();
  await receiver.down();
});

test('upload a labelled CSV and train: the job is followed live to done, with a loss curve, and the model shows ROC and PR curves', async () => {
  const { page, errors } = await signedIn('laptop', '/new');
  // The training form offers every detector a job can fit, generated from GET /v1/detectors?for=train.
  const train = (await e2e.call('/v1/detectors?for=train', key)).detectors.map((d: any) => d.name);
  await page.getByLabel('Dataset file (CSV with a header, or NDJSON)').setInputFiles({ name: 'planted.csv', mimeType: 'text/csv', buffer: labelledCsv() });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText(/240 rows, columns a, b, c, label/).waitFor();
  const offered = await page.locator('#tr-detector option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  assert.deepEqual(offered.sort(), [...train].sort());
  await page.locator('#tr-detector').selectOption('autoencoder');
  // The generated fields: one per option of the schema, with its description and default.
  const auto = (await e2e.call('/v1/detectors?for=train', key)).detectors.find((d: any) => d.name === 'autoencoder');
  assert.equal(await page.locator('[id^="tr-autoencoder-"]:is(input,select)').count(), auto.options.length);
  assert.match((await page.locator('#tr-autoencoder-epochs-d').textContent())!, /Passes over the training data.*default 10/);
  await page.locator('#tr-autoencoder-epochs').fill('6');
  await page.locator('#tr-autoencoder-hiddenSizes').fill('8, 4');
  assert.equal(await page.locator('#tr-label').inputValue(), 'label', 'the label column is recognised');
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.locator('.job-progress').waitFor();
  await page.locator('.job-progress [data-state="succeeded"]').waitFor({ timeout: 240_000 });
  assert.match((await page.locator('.job-progress [role=status]').textContent())!, /done · epoch 6 of 6 · loss [\d.e-]+ · 100%/);
  await page.locator('.job-progress canvas').waitFor();
  const jobs = (await e2e.call('/v1/jobs', key)).jobs;
  assert.equal(jobs[0].state, 'succeeded');
  assert.equal(await page.locator('.job-progress progress').getAttribute('value'), '100');
  await e2e.shoot(page, 'new-upload-trained', 'laptop');

  // The model it made: metrics, and ROC and PR curves from GET /v1/models/{id}/curves.
  await page.locator('.job-progress a[href^="/models#"]').click();
  await page.getByRole('img', { name: /ROC curve of model/ }).waitFor();
  await page.getByRole('img', { name: /precision-recall curve of model/ }).waitFor();
  await page.getByRole('img', { name: /histogram of model/ }).waitFor();
  assert.match((await page.locator('.model').first().textContent())!, /ROC-AUC/);
  assert.deepEqual(errors, []);
});

test('a stream from the form generated from the detectors\' option schemas', async () => {
  const { page, errors } = await signedIn('laptop', '/new');
  const detectors = (await e2e.call('/v1/detectors', key)).detectors;
  await page.locator('#ns-detector').waitFor();
  const offered = await page.locator('#ns-detector option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  assert.deepEqual(offered.sort(), detectors.map((d: any) => d.name).sort());
  for (const d of detectors.filter((x: any) => x.kind === 'stream')) {
    await page.locator('#ns-detector').selectOption(d.name);
    assert.equal(await page.locator(`[id^="ns-${d.name}-"]:is(input,select)`).count(), d.options.length, d.name);
  }
  await page.getByLabel('Name', { exact: true }).fill('checkout latency');
  await page.locator('#ns-detector').selectOption('ewma');
  assert.match((await page.locator('#ns-ewma-alpha-d').textContent())!, /Smoothing weight.*default 0.05/);
  await page.locator('#ns-ewma-alpha').fill('0.2');
  await page.getByLabel('Threshold', { exact: true }).selectOption('value');
  await page.locator('#ns-threshold-value').fill('4');
  await page.getByRole('button', { name: 'Create stream' }).click();
  await page.getByText(/Stream checkout latency created/).waitFor();
  const made = (await e2e.call('/v1/streams', key)).streams.find((s: any) => s.name === 'checkout latency');
  assert.equal(made.detector, 'ewma');
  assert.deepEqual(made.options, { alpha: 0.2 });
  assert.deepEqual(made.threshold, { kind: 'value', value: 4 });
  // A bad option is refused in words, not a blank panel.
  await page.locator('#ns-ewma-alpha').fill('7');
  await page.getByRole('button', { name: 'Create stream' }).click();
  await page.getByText(/The stream was not created: .*alpha/).waitFor();
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
});

test('a retrained candidate compared in shadow, promoted, then rolled back', async () => {
  const id = await streamId(MACHINE);
  await until(async () => (await e2e.call(`/v1/streams/${id}/series?columns=10`, key)).points >= 40, 180_000, 'points on the machine stream');
  await e2e.call(`/v1/streams/${id}/retrain`, key, { detector: 'iforest', options: { nEstimators: 20 } });
  await until(async () => (await e2e.call(`/v1/streams/${id}/candidates`, key)).candidates.length > 0, 240_000, 'the shadow comparison');
  const cand = (await e2e.call(`/v1/streams/${id}/candidates`, key)).candidates[0];
  assert.ok(cand.comparison.tracks.t.length > 0, 'both score tracks are stored');

  const online = (await e2e.call(`/v1/streams/${id}`, key)).detector;
  const { page, errors } = await signedIn('laptop', '/models');
  const box = page.getByRole('article', { name: `candidate ${cand.id}` });
  await box.waitFor();
  await box.getByRole('img', { name: /served model's and the candidate's scores/ }).locator('canvas').waitFor();
  assert.match((await box.locator('table.compare').textContent())!, /alerts per day.*precision on labels.*recall on labels/);
  await box.getByText(/Disagreements: \d+/).waitFor();
  await e2e.shoot(page, 'models-candidate', 'laptop');
  await box.getByRole('button', { name: `Promote candidate ${cand.id}` }).click();
  await page.getByText(`Candidate ${cand.id} (model ${cand.candidateModelId}) now scores ${MACHINE}.`).waitFor();
  assert.equal((await e2e.call(`/v1/streams/${id}`, key)).model, cand.candidateModelId);
  await page.getByRole('button', { name: `Roll back ${MACHINE}` }).click();
  await page.getByText(`${MACHINE} is scored again by what scored it before the last promotion.`).waitFor();
  const back = await e2e.call(`/v1/streams/${id}`, key);
  assert.equal(back.model, undefined);
  assert.equal(back.detector, online, 'the detector it learned online with scores it again');
  // A second roll back has nothing to go back to: said in words.
  await page.getByRole('button', { name: `Roll back ${MACHINE}` }).click();
  await page.getByText(/has no earlier model to roll back to/).waitFor();
  assert.deepEqual(errors.filter((e) => !/status of 409/.test(e)), []);
});

test('a sink created and test-sent to a loopback receiver; an alert rule created, edited and deleted', async () => {
  const { page, errors } = await signedIn('laptop', '/rules');
  await page.getByRole('heading', { name: 'Sinks', exact: true }).waitFor();
  await page.locator('#sink-new-name').fill('on-call hook');
  await page.locator('#sink-new-url').fill(receiver.url);
  await page.getByRole('button', { name: 'Create sink' }).click();
  await page.getByText(/Sink on-call hook created/).waitFor();
  await page.getByText(/Signing secret/).waitFor();
  const sink = (await e2e.call('/v1/sinks', key)).sinks.find((s: any) => s.name === 'on-call hook');
  assert.equal(sink.url, receiver.url);
  const before = receiver.received.length;
  await page.getByRole('button', { name: 'Send a test alert to on-call hook' }).click();
  await page.getByText('Test alert delivered: the receiver answered HTTP 200.').waitFor();
  assert.equal(receiver.received.length, before + 1);
  assert.match(receiver.received.at(-1)!.body, /vigil test alert/);
  // Undelivered: the receiver answers 500, and the page says so.
  receiver.status = 500;
  await page.getByRole('button', { name: 'Send a test alert to on-call hook' }).click();
  await page.getByText(/Test alert not delivered: HTTP 500/).waitFor();
  receiver.status = 200;

  const id = await streamId(MACHINE);
  await page.getByRole('button', { name: `Add a rule to ${MACHINE}` }).click();
  const form = page.getByRole('form', { name: `alert rule of ${MACHINE}` });
  await form.getByLabel('For points').fill('3');
  await form.getByLabel('on-call hook').check();
  await form.getByRole('button', { name: 'Create rule' }).click();
  await page.getByText(`Alert rule of ${MACHINE} saved.`).waitFor();
  let rule = (await e2e.call(`/v1/streams/${id}/rules`, key)).rules[0];
  assert.equal(rule.forPoints, 3);
  assert.deepEqual(rule.sinks, [sink.id]);
  await page.getByRole('button', { name: `Edit rule of ${MACHINE}` }).click();
  await page.getByRole('form', { name: `alert rule of ${MACHINE}` }).getByLabel('Most alerts per hour').fill('4');
  await page.getByRole('button', { name: 'Save rule' }).click();
  await page.getByText(/at most 4 an hour/).waitFor();
  rule = (await e2e.call(`/v1/streams/${id}/rules`, key)).rules[0];
  assert.equal(rule.maxPerHour, 4);
  await e2e.shoot(page, 'rules-filled', 'laptop');
  await page.getByRole('button', { name: `Delete rule of ${MACHINE}` }).click();
  await page.getByText(`Alert rule of ${MACHINE} deleted.`).waitFor();
  assert.deepEqual((await e2e.call(`/v1/streams/${id}/rules`, key)).rules, []);
  assert.deepEqual(errors, []);
});

for (const size of ['laptop', 'phone'] as const) {
  test(`${size}: models, jobs, rules and new pages render without console errors, pass axe, and are shot`, async () => {
    for (const [path, name, ready] of [
      ['/models', 'models', 'Model versions'],
      ['/jobs', 'jobs', 'Training jobs'],
      ['/rules', 'rules', 'Sinks'],
      ['/new', 'new', 'New stream'],
    ] as const) {
      const { page, errors } = await signedIn(size, path);
      await page.getByRole('heading', { name: ready, exact: false }).first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      if (path === '/models') await page.locator('canvas').first().waitFor();
      if (path === '/jobs') {
        await page.locator('table.jobs button.link').first().click();
        await page.locator('.job-progress [data-state]').waitFor();
      }
      // Nothing wider than the screen at phone width.
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      const wide = await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => e.tagName + '.' + e.className)`);
      assert.ok((overflow as number) <= 1, `${path} at ${size} is ${String(overflow)} px wider than the screen: ${JSON.stringify(wide)}`);
      await e2e.axe(page);
      await e2e.shoot(page, name, size);
      assert.deepEqual(errors, [], `${path} at ${size}`);
      await page.close();
    }
  });
}
