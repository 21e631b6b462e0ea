/** The sample series the project ships (written for vfio-lens; npm start analyses it). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { analyse, behaviour, hasChange, sample, visibleDevices } from './support';

test('the shipped sample series shows several behaviour changes, attributed to its vfio-pci lines', async () => {
  const out = await analyse(sample('sample-series.mbox'));
  assert.equal(out.result.patches.filter((p) => p.index !== 0).length, 3);
  assert.equal(out.result.baseline.kernel, 'v5.8');
  assert.deepEqual(visibleDevices(out), ['s390-vf-detached', 's390-vf-noiov']);
  assert.deepEqual(
    behaviour(out)
      .map((f) => f.decision)
      .sort(),
    ['init-force-memory', 'memory-enabled', 'read-or-in', 'restore-condition'],
  );
  assert.ok(hasChange(out, 's390-vf-detached', ['open', 'mmio-read'], /EIO/, /ok/));
});

test('a reviewer quoting a hunk is attached to the finding on the original hunk', async () => {
  const out = await analyse(sample('sample-series.mbox'));
  const restore = behaviour(out).find((f) => f.decision === 'restore-condition')!;
  assert.ok(
    restore.related.some((r) => /quoted by Bea Reviewer/.test(r.message)),
    JSON.stringify(restore.related),
  );
  assert.ok(restore.related.some((r) => /Bea Reviewer: The IO clause still calls/.test(r.message)));
});

test('--baseline overrides detection', async () => {
  await initAnalysis();
  const out = analyzeText(fs.readFileSync(sample('sample-series.mbox'), 'utf8'), {
    file: 's',
    baseline: 'v5.10',
  });
  assert.equal(out.result.baseline.kernel, 'v5.10');
  assert.equal(out.result.baseline.detectedFrom, 'set by the user');
});
