/**
 * The analysis worker: a real child process running the CLI's `lsp --analysis-worker` mode
 * (from the compiled out/ tree), with cancellation through its cancel file, the watchdog, and
 * its end when no document needs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { WARM_UP_PATCH } from '../../../server/src/analysis/index';
import { AnalysisRunner, worthATrim } from '../../../server/src/lsp/analysisRunner';
import { projectRoot } from '../../support/shared';
import { processAlive } from '../../support/process';

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

test('a job cancelled while the worker has it is answered as cancelled, by the worker', async () => {
  const logs: string[] = [];
  const runner = new AnalysisRunner(script, (m) => logs.push(m));
  try {
    assert.equal((await runner.run(patch, { file: 'warm.patch' }, 60_000).outcome).status, 'done');
    const pid = runner.workerPid;
    assert.ok(pid !== undefined && pid !== process.pid, 'the worker is a process of its own');
    // the worker is idle, so the job is sent at once: the cancel goes through the cancel file
    const job = runner.run(patch, { file: 'cancelled.patch' }, 60_000);
    job.cancel();
    assert.deepEqual(await job.outcome, { status: 'cancelled' });
    // the same worker answers the next job
    assert.equal((await runner.run(patch, { file: 'after.patch' }, 60_000).outcome).status, 'done');
    assert.equal(runner.workerPid, pid, logs.join('\n'));
  } finally {
    runner.dispose();
  }
});

const alive = processAlive;

/** Polls until the process is gone; the bound is on a hang, not a timing threshold. */
async function ended(pid: number): Promise<boolean> {
  for (const end = Date.now() + 30_000; alive(pid) && Date.now() < end;)
    await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

/**
 * With VFIO_LENS_RELEASE_AFTER_MS set to `ms`: a runner whose worker analysed one document, then
 * `body` with the runner and the worker's pid.
 */
async function afterOneJob(
  ms: string,
  body: (runner: AnalysisRunner, pid: number) => Promise<void>,
): Promise<void> {
  const before = process.env.VFIO_LENS_RELEASE_AFTER_MS;
  process.env.VFIO_LENS_RELEASE_AFTER_MS = ms;
  const runner = new AnalysisRunner(script, () => undefined);
  try {
    assert.equal((await runner.run(patch, { file: 'a.patch' }, 60_000).outcome).status, 'done');
    const pid = runner.workerPid;
    assert.ok(pid !== undefined);
    await body(runner, pid);
  } finally {
    runner.dispose();
    if (before === undefined) delete process.env.VFIO_LENS_RELEASE_AFTER_MS;
    else process.env.VFIO_LENS_RELEASE_AFTER_MS = before;
  }
}

test('released with no delay, the worker process ends at once (its memory goes back with it)', () =>
  afterOneJob('0', async (runner, pid) => {
    runner.release();
    assert.equal(runner.workerPid, undefined);
    assert.equal(await ended(pid), true, `worker ${pid} still runs after release`);
  }));

test('released, the worker stays for the next document until the delay passes, then ends', () =>
  afterOneJob('400', async (runner, pid) => {
    runner.release();
    // a document opened again within the delay: the same process analyses it, and stays
    assert.equal(runner.workerPid, pid, 'the worker was stopped at once');
    assert.equal((await runner.run(patch, { file: 'again.patch' }, 60_000).outcome).status, 'done');
    assert.equal(runner.workerPid, pid, 'a fresh worker analysed the document opened again');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(runner.workerPid, pid, 'the worker was stopped while a document needed it');
    // released again, nothing comes: it ends
    runner.release();
    assert.equal(await ended(pid), true, `worker ${pid} still runs after the delay`);
    assert.equal(runner.workerPid, undefined);
  }));

test('where no cancel file can be made, jobs still run in the worker (and say so)', async () => {
  const logs: string[] = [];
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = '/proc/no-such-dir';
  const runner = new AnalysisRunner(script, (m) => logs.push(m));
  try {
    const outcome = await runner.run(patch, { file: 'a.patch' }, 60_000).outcome;
    assert.equal(outcome.status, 'done', logs.join('\n'));
    assert.ok(runner.workerPid !== undefined, 'analysed in the worker, not in-process');
    assert.ok(
      logs.some((l) => /no cancel file/.test(l)),
      logs.join('\n'),
    );
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    runner.dispose();
  }
});

test('without a worker script the runner analyses in-process', async () => {
  const runner = new AnalysisRunner(undefined, () => undefined);
  const outcome = await runner.run(patch, { file: 'c.patch' }, 60_000).outcome;
  assert.equal(outcome.status, 'done');
});

test('an idle worker is trimmed by the heap V8 holds for it, not by what was in use when it looked', () => {
  const MB = 2 ** 20;
  // after the 73 corpus and seed files: a collection in the last job left 59 MB in use of 86 MB held
  assert.equal(worthATrim({ heapTotal: 86 * MB, heapUsed: 59 * MB } as NodeJS.MemoryUsage, 64 * MB), true);
  // one document: neither is near the threshold
  assert.equal(worthATrim({ heapTotal: 30 * MB, heapUsed: 20 * MB } as NodeJS.MemoryUsage, 64 * MB), false);
  assert.equal(worthATrim({ heapTotal: 64 * MB, heapUsed: 64 * MB } as NodeJS.MemoryUsage, 64 * MB), false);
});
