/**
 * The CLI twin (dist/cli.js, built by `node scripts/build.mjs`; npm test builds before tests):
 * JSON shapes of simulate, compare and matrix, and the messages for bad arguments.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../support/shared';

/** VFIO_LENS_CLI points the tests at another build of the CLI (default: the bundle in dist/). */
const cli = process.env.VFIO_LENS_CLI ?? path.join(projectRoot, 'dist', 'cli.js');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]): Record<string, unknown> {
  const r = run(...args);
  assert.equal(r.code, 0, `vfio-lens ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8' });
    assert.equal(b.status, 0, `build failed: ${b.stderr}`);
  }
});

describe('vfio-lens simulate', () => {
  test('JSON: one trace entry per step, in order, with the documented fields', () => {
    const out = json(
      'simulate',
      '--device',
      's390-vf-detached',
      '--kernel',
      'v5.8',
      '--steps',
      'open; write-cmd 0x0002; read-cmd; mmio-read',
      '--format',
      'json',
    );
    assert.equal(out.device, 's390-vf-detached');
    assert.equal(out.kernel, 'v5.8');
    const trace = out.trace as Record<string, unknown>[];
    assert.deepEqual(
      trace.map((e) => e.step),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      trace.map((e) => e.action),
      ['open', 'write-cmd 0x0002', 'read-cmd', 'mmio-read'],
    );
    for (const e of trace) {
      for (const key of ['zap', 'virt', 'hw', 'why']) assert.ok(key in e, `${String(e.action)} has ${key}`);
    }
    assert.equal(trace[1].restore, 'none');
    assert.equal(trace[2].read, 0);
    assert.equal(typeof trace[2].read, 'number');
    assert.equal(trace[3].outcome, 'ok');
    assert.ok(!('read' in trace[3]) && !('outcome' in trace[0]));
  });

  test('text: a table with decoded bits, and the decisions with --explain', () => {
    const r = run(
      'simulate',
      '--device',
      'vf',
      '--kernel',
      'v5.10',
      '--steps',
      'open; read-cmd',
      '--explain',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /read-cmd\s+ok\s+0x0002 MEMORY/);
    assert.match(r.stdout, /read-or-in: offset == PCI_COMMAND && vdev->pdev->no_command_memory/);
    assert.match(r.stdout, /pdev->no_command_memory = 1 {2}\(set by pci_iov_add_virtfn\)/);
  });

  test('an unknown device kind lists the valid ones', () => {
    const r = run('simulate', '--device', 'gpu', '--kernel', 'v5.8', '--steps', 'open');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown device kind "gpu"; valid device kinds: pf, pf-no-io, vf, s390-vf-linked/);
  });

  test('an unknown kernel lists the valid ones', () => {
    const r = run('simulate', '--device', 'pf', '--kernel', 'v6.1', '--steps', 'open');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /unknown kernel "v6.1"; valid kernels: v3.6, v4.19, v5.7, v5.8-rc1, v5.8, v2-detached_vf/,
    );
  });

  test('a bad step names the step and its position', () => {
    const r = run('simulate', '--device', 'pf', '--kernel', 'v5.8', '--steps', 'open; write-cmd; read-cmd');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--steps: step 2 "write-cmd": expected 1 argument/);
    const early = run('simulate', '--device', 'pf', '--kernel', 'v5.8', '--steps', 'read-cmd');
    assert.equal(early.code, 2);
    assert.match(early.stderr, /step 1 "read-cmd": the device is not open yet/);
  });

  test('a missing option says which', () => {
    const r = run('simulate', '--device', 'pf', '--kernel', 'v5.8');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--steps is required/);
  });
});

describe('vfio-lens compare', () => {
  test('JSON: differences with device, steps and both traces', () => {
    const out = json(
      'compare',
      '--kernel',
      'v5.8',
      '--kernel',
      'v5.10',
      '--device',
      's390-vf-detached',
      '--depth',
      '2',
      '--format',
      'json',
    );
    const differences = out.differences as {
      device: string;
      steps: string[];
      before: unknown[];
      after: unknown[];
    }[];
    assert.ok(differences.length > 0);
    for (const d of differences) {
      assert.equal(d.device, 's390-vf-detached');
      assert.equal(d.steps[0], 'open');
      assert.equal(d.before.length, d.steps.length);
      assert.equal(d.after.length, d.steps.length);
    }
    assert.ok(differences.some((d) => d.steps.join('; ') === 'open; mmio-read'));
  });

  test('needs exactly two kernels', () => {
    const r = run('compare', '--kernel', 'v5.8');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exactly two --kernel options \(got 1\)/);
  });

  test('a bad depth is refused', () => {
    const r = run('compare', '--kernel', 'v5.8', '--kernel', 'v5.10', '--depth', 'deep');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--depth must be a whole number/);
  });
});

describe('vfio-lens matrix', () => {
  test('JSON has scenarios, devices, kernels and cells', () => {
    const out = json('matrix', '--format', 'json');
    for (const key of ['scenarios', 'devices', 'kernels', 'cells']) assert.ok(Array.isArray(out[key]), key);
  });

  test('markdown is one table per scenario', () => {
    const r = run('matrix', '--format', 'markdown');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /### open-then-access/);
    assert.match(r.stdout, /\| device \| v3\.6 \| v4\.19 \| v5\.7 \| v5\.8-rc1 \| v5\.8 \|/);
  });

  test('an unknown format is refused', () => {
    const r = run('matrix', '--format', 'html');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--format must be one of text, json, markdown/);
  });
});

describe('vfio-lens output to a reader that reads slowly', () => {
  test('the CLI exits once its output is handed on, not before: all of it arrives, with its status', async () => {
    // dist/cli.js ends a command with process.exit() once stdout and stderr are flushed (V8's
    // pending collections of a heap about to be dropped are not run first): output far larger than
    // a pipe's buffer, read only after a pause, must still arrive whole
    const big = path.join(projectRoot, 'samples', 'sample-series.mbox');
    const args = [cli, 'stats', ...Array.from({ length: 400 }, () => big), '--format', 'json'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    setTimeout(() => child.stdout.resume(), 300);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(code, 0);
    const out = Buffer.concat(chunks).toString('utf8');
    assert.ok(out.length > 65536, `${out.length} characters: not more than a pipe holds`);
    const parsed = JSON.parse(out) as { documents: unknown[] };
    assert.equal(parsed.documents.length, 400);
  });

  test('an error status survives the exit: a missing file is 2, with its message', () => {
    const r = run('analyze', path.join(projectRoot, 'no-such-file.patch'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-file\.patch: no such file/);
  });
});

describe('vfio-lens output to a reader that stops reading', () => {
  test('`stats ... | head -c 1`: the command ends quietly, with no unhandled EPIPE', async () => {
    // output far larger than a pipe's buffer: the writes go on after the reader closed its end
    const big = path.join(projectRoot, 'samples', 'sample-series.mbox');
    const args = [cli, 'stats', ...Array.from({ length: 400 }, () => big), '--format', 'json'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.doesNotMatch(stderr, /Unhandled|EPIPE|internal error/, stderr);
    assert.equal(code, 0, stderr);
  });
});
