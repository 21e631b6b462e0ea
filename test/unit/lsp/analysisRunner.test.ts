/**
 * The analysis worker: a real worker thread running the CLI's `lsp --analysis-worker` mode
 * (from the compiled out/ tree), with cancellation through shared memory and the watchdog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { WARM_UP_PATCH } from '../../../server/src/analysis/index';
import { AnalysisRunner } from '../../../server/src/lsp/analysisRunner';
import { projectRoot } from '../../support/shared';

/** The file of vfio-pci's config-space emulation (built, so no line of a real patch is copied). */
const CONFIG_C = 'drivers/vfio/pci/vfio_pci_config.c';

const script = path.join(projectRoot, 'out', 'server', 'src', 'cli', 'main.js');
const patch = [`diff --git a/${CONFIG_C} b/${CONFIG_C}`, WARM_UP_PATCH].join('\n');

test('jobs run in the worker; one cancelled before it starts is answered as cancelled', async () => {
  const logs: string[] = [];
  const runner = new AnalysisRunner(script, (m) => logs.push(m));
  try {
    const done = runner.run(patch, { file: 'a.patch' }, 60_000);
    const cancelled = runner.run(patch, { file: 'b.patch' }, 60_000);
    cancelled.cancel();
    const outcome = await done.outcome;
    assert.equal(outcome.status, 'done', logs.join('\n'));
    if (outcome.status === 'done') {
      assert.equal(outcome.output.read.fileCount, 1);
      assert.equal(outcome.output.read.hunks.length, 1);
      assert.ok(outcome.output.decisions.some((d) => d.decision === 'memory-enabled'));
    }
    assert.deepEqual(await cancelled.outcome, { status: 'cancelled' });
  } finally {
    runner.dispose();
  }
});

test('a job that outlives its watchdog fails with a message, and the next job gets a fresh worker', async () => {
  const logs: string[] = [];
  const runner = new AnalysisRunner(script, (m) => logs.push(m));
  try {
    // The watchdog fires on the next timer tick, long before a new worker has even loaded.
    const hung = await runner.run(patch, { file: 'slow.patch' }, 0).outcome;
    assert.equal(hung.status, 'failed');
    if (hung.status === 'failed') assert.match(hung.message, /did not finish within 0 ms/);
    const next = await runner.run(patch, { file: 'next.patch' }, 60_000).outcome;
    assert.equal(next.status, 'done', logs.join('\n'));
    assert.ok(logs.some((l) => /restarting the analysis worker/.test(l)));
  } finally {
    runner.dispose();
  }
});

test('without a worker script the runner analyses in-process', async () => {
  const runner = new AnalysisRunner(undefined, () => undefined);
  const outcome = await runner.run(patch, { file: 'c.patch' }, 60_000).outcome;
  assert.equal(outcome.status, 'done');
});
