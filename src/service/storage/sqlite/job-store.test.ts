import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStorage } from './sqlite-storage.js';

const DAY = 86_400_000;

test('retention deletes only old points that are scored and inside the newest checkpoint', async () => {
  const st = new SqliteStorage(':memory:');
  await st.createTeam({ id: 'tm', name: 't', createdAt: 0 });
  await st.createStream({ id: 'st', teamId: 'tm', name: 's', spec: { detector: 'rolling-z' }, modelVersion: 1, specSeq: 0, channels: null, createdAt: 0, updatedAt: 0 });
  const now = 100 * DAY;
  await st.appendPoints('st', Array.from({ length: 10 }, (_, i) => ({ t: now - 50 * DAY + i, key: '', values: { value: i } })));
  await st.appendPoints('st', [{ t: now, key: '', values: { value: 0 } }]);
  const seqs = (await st.pointsAfter(0, 100)).map((p) => p.seq);
  const before = now - DAY;
  // Nothing checkpointed or scored: nothing goes.
  assert.equal(await st.jobs.deleteOldPoints('st', before, await st.jobs.checkpointSeq('st')), 0);
  // Scored through the 6th point, the checkpoint at the 4th: the first 4 go, the rest stay.
  await st.saveScores(seqs.slice(0, 6).map((seq) => ({ seq, score: 0, anomaly: false, threshold: 1, channels: null, modelVersion: 1, error: null })));
  await st.saveCheckpoints([{ streamId: 'st', seq: seqs[3]!, modelVersion: 1, state: {} }]);
  assert.equal(await st.jobs.checkpointSeq('st'), seqs[3]);
  assert.equal(await st.jobs.deleteOldPoints('st', before, seqs[3]!), 4);
  // Checkpoint past everything, all scored: the old ones go, the new one stays.
  await st.saveScores(seqs.map((seq) => ({ seq, score: 0, anomaly: false, threshold: 1, channels: null, modelVersion: 1, error: null })));
  assert.equal(await st.jobs.deleteOldPoints('st', before, seqs.at(-1)!), 6);
  assert.deepEqual((await st.pointsAfter(0, 100)).map((p) => p.t), [now]);
  await st.close();
});

test('a job left running fails at the next start; the served-model history pops newest first', async () => {
  const st = new SqliteStorage(':memory:');
  await st.createTeam({ id: 'tm', name: 't', createdAt: 0 });
  const base = { teamId: 'tm', kind: 'train' as const, spec: {}, epoch: null, epochs: null, loss: null, percent: 0, error: null, modelId: null, createdAt: 1, startedAt: null, finishedAt: null };
  await st.jobs.createJob({ ...base, id: 'j1', state: 'queued' });
  await st.jobs.createJob({ ...base, id: 'j2', state: 'queued' });
  await st.jobs.updateJob('j1', { state: 'running', startedAt: 2 });
  assert.deepEqual(await st.jobs.failRunning('interrupted by a restart', 3), ['j1']);
  assert.deepEqual([(await st.jobs.getJob('j1'))!.state, (await st.jobs.getJob('j1'))!.error], ['failed', 'interrupted by a restart']);
  assert.equal((await st.jobs.getJob('j2'))!.state, 'queued');
  await st.createStream({ id: 'st', teamId: 'tm', name: 's', spec: { detector: 'a' }, modelVersion: 1, specSeq: 0, channels: null, createdAt: 0, updatedAt: 0 });
  await st.jobs.pushServedHistory('st', 'mv1', { detector: 'a' }, 'x');
  await st.jobs.pushServedHistory('st', 'mv2', { detector: 'b', model: 'mv1' }, 'y');
  assert.deepEqual(await st.jobs.popServedHistory('st'), { modelId: 'mv2', previousSpec: { detector: 'b', model: 'mv1' } });
  assert.deepEqual(await st.jobs.popServedHistory('st'), { modelId: 'mv1', previousSpec: { detector: 'a' } });
  assert.equal(await st.jobs.popServedHistory('st'), null);
  await st.close();
});
