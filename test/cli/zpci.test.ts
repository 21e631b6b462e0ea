/**
 * The zPCI model on the command line (dist/cli.js): simulate, compare and matrix with --qemu and
 * the zPCI device kinds, the issue's worked comparison (v5.2 vs v6.0 for ism: both refuse the
 * plug, and the answer says why and where the length change shows), bad ids, and the analyze
 * summary of changes the model does not read.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot, sharedMissing, sharedPath } from '../support/shared';

/** Parsed CLI JSON: its shape is what each test asserts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

const cli = process.env.VFIO_LENS_CLI ?? path.join(projectRoot, 'dist', 'cli.js');

function vfioLens(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function jsonOf(...args: string[]): Record<string, J> {
  const r = vfioLens(...args, '--format', 'json');
  assert.equal(r.code, 0, `vfio-lens ${args.join(' ')}: ${r.err}`);
  return JSON.parse(r.out) as Record<string, J>;
}

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8' });
    assert.equal(b.status, 0, `build failed: ${b.stderr}`);
  }
});

describe('vfio-lens compare --qemu', () => {
  test('v5.2 vs v6.0 for ism: no difference, because both sides refuse the plug (QEMU message, deciding check)', () => {
    const r = vfioLens('compare', '--qemu', 'v5.2', '--qemu', 'v6.0', '--device', 'ism');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /ism: no difference: both sides refuse to plug ism/);
    assert.match(
      r.out,
      /v5\.2 on host-v6\.15: plug: plug refused: "MSI-X support is mandatory in the S390 architecture"/,
    );
    assert.match(r.out, /plug\/msix-fence: `s390_pci_msix_init\(pbdev\) \(-1\)`/);
    // where the PCISTB length change does show: zpci-intercepted after plug; enable (len 0 vs 4096)
    assert.match(r.out, /zpci-intercepted: \d+ visible, \d+ internal only/);
    assert.match(
      r.out,
      /internal: plug; enable; pcistb 0 0 4096: .*len \(0\).*→.*len \(4096\).*maxstbl \(128\)/,
    );
    assert.match(
      r.out,
      /ism reaches QEMU's instruction checks \(plugged, intercepted\) under: .*rfc-msix_fence, rfc-ism/,
    );
    assert.match(
      r.out,
      /for ism itself, compare two of them: vfio-lens compare --qemu rfc-msix_fence --qemu rfc-ism --device ism/,
    );

    const j = jsonOf('compare', '--qemu', 'v5.2', '--qemu', 'v6.0', '--device', 'ism');
    assert.equal(j.model, 'zpci');
    assert.deepEqual(j.differences, []);
    assert.equal(j.unreached.length, 1);
    const u = j.unreached[0];
    assert.deepEqual(
      u.sides.map((s: J) => [s.qemu, s.plug.outcome.kind]),
      [
        ['v5.2', 'plug-refused'],
        ['v6.0', 'plug-refused'],
      ],
    );
    const decided = u.sides[0].plug.why.find((w: J) => w.decided);
    assert.equal(decided.decision, 'plug/msix-fence');
    assert.deepEqual(
      decided.operands.map((o: J) => [o.name, o.value]),
      [['s390_pci_msix_init(pbdev)', -1]],
    );
  });

  test('the length change in one step: zpci-intercepted v5.2 vs v6.0 (--internal), ism rfc-msix_fence vs rfc-ism', () => {
    const j = jsonOf(
      'compare',
      '--qemu',
      'v5.2',
      '--qemu',
      'v6.0',
      '--device',
      'zpci-intercepted',
      '--internal',
    );
    const len = j.differences.find((d: J) => d.steps.join('; ') === 'plug; enable; pcistb 0 0 4096');
    assert.ok(len, j.differences.map((d: J) => d.steps.join('; ')).join(' | '));
    const lengthWhy = (t: J[]) => t[t.length - 1].why.find((w: J) => w.decision === 'pcistb/length').text;
    assert.match(lengthWhy(len.before), /len \(0\) <= 8/);
    assert.match(lengthWhy(len.after), /len \(4096\) > .*maxstbl \(128\)/);

    const ism = jsonOf('compare', '--qemu', 'rfc-msix_fence', '--qemu', 'rfc-ism', '--device', 'ism');
    const d = ism.differences.find((x: J) => x.steps.join('; ') === 'plug; enable; pcistb 0 0 16');
    assert.ok(d);
    assert.equal(d.before[2].outcome.kind, 'program-interrupt');
    assert.equal(d.after[2].outcome.kind, 'accepted');
  });

  test('every QEMU version against itself finds nothing, for every zPCI kind', () => {
    const versions = jsonOf('matrix', '--model', 'zpci').qemu as string[];
    assert.ok(versions.includes('v5.2') && versions.includes('rfc-ism'));
    for (const v of versions) {
      const j = jsonOf('compare', '--qemu', v, '--qemu', v, '--depth', '3');
      assert.deepEqual(j.differences, [], `${v} against itself`);
      assert.deepEqual(j.clp, [], `${v} against itself (CLP)`);
      assert.equal(j.stats.devices, 4);
    }
  });

  test('bad ids name the valid ones and exit 2', () => {
    const q = vfioLens('compare', '--qemu', 'v5.2', '--qemu', 'v9.9');
    assert.equal(q.code, 2);
    assert.match(q.err, /unknown QEMU version "v9\.9"; valid QEMU versions: v2\.3, v2\.6, .*rfc-ism/);
    const h = vfioLens('compare', '--qemu', 'v5.2', '--qemu', 'v6.0', '--host', 'host-v4');
    assert.equal(h.code, 2);
    assert.match(h.err, /unknown host kernel "host-v4"; valid host kernels: host-v5\.7, .*host-v6\.15/);
    const d = vfioLens('compare', '--qemu', 'v5.2', '--qemu', 'v6.0', '--device', 'pf');
    assert.equal(d.code, 2);
    assert.match(
      d.err,
      /zPCI device kinds \(zpci-intercepted, ism, zpci-interpreted, zpci-emulated\), not "pf"/,
    );
    const one = vfioLens('compare', '--qemu', 'v5.2');
    assert.equal(one.code, 2);
    assert.match(one.err, /give two --qemu options/);
  });
});

describe('vfio-lens simulate --qemu', () => {
  test('ism under v8.0: plugged interpreted, the 4096-byte PCISTB executed by firmware; JSON shape', () => {
    const j = jsonOf(
      'simulate',
      '--device',
      'ism',
      '--qemu',
      'v8.0',
      '--steps',
      'plug; enable; pcistb 0 0 4096',
    );
    assert.deepEqual([j.model, j.device, j.qemu, j.host], ['zpci', 'ism', 'v8.0', 'host-v6.15']);
    assert.deepEqual(
      j.trace.map((e: J) => [e.step, e.action, e.outcome.kind]),
      [
        [1, 'plug', 'plugged'],
        [2, 'enable', 'clp'],
        [3, 'pcistb 0 0 4096', 'interpreted'],
      ],
    );
    assert.deepEqual(Object.keys(j.trace[2].display.cells), ['outcome', 'delivery', 'check']);
    assert.match(j.trace[2].display.text, /pcistb 0 0 4096/);
  });

  test('ism under v6.0 (intercepted would be the path, but the plug is refused); text names the check', () => {
    const r = vfioLens('simulate', '--device', 'ism', '--qemu', 'v6.0', '--steps', 'plug');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /plug refused/);
    assert.match(r.out, /plug\/msix-fence/);
  });

  test('a bad step, a bad version, a vfio --kernel: exit 2 with the reason', () => {
    const s = vfioLens('simulate', '--device', 'ism', '--qemu', 'v8.0', '--steps', 'plug; pcistb 0');
    assert.equal(s.code, 2);
    assert.match(s.err, /--steps: .*pcistb/);
    const v = vfioLens('simulate', '--device', 'ism', '--qemu', 'v1.0', '--steps', 'plug');
    assert.equal(v.code, 2);
    assert.match(v.err, /unknown QEMU version "v1\.0"; valid QEMU versions: v2\.3/);
    const k = vfioLens(
      'simulate',
      '--device',
      'ism',
      '--kernel',
      'v5.8',
      '--qemu',
      'v8.0',
      '--steps',
      'plug',
    );
    assert.equal(k.code, 2);
    assert.match(k.err, /--kernel names a vfio-pci kernel; the zPCI model takes --qemu ID/);
  });
});

describe('vfio-lens matrix --model zpci', () => {
  test('scenarios x zPCI kinds x QEMU versions, JSON shape; --qemu picks the columns', () => {
    const j = jsonOf('matrix', '--qemu', 'v5.2', '--qemu', 'v6.0');
    assert.equal(j.model, 'zpci');
    assert.deepEqual(j.qemu, ['v5.2', 'v6.0']);
    assert.deepEqual(j.devices, ['zpci-intercepted', 'ism', 'zpci-interpreted', 'zpci-emulated']);
    assert.equal(j.cells.length, j.scenarios.length * 4 * 2);
    const cell = j.cells.find(
      (c: J) => c.scenario === 'pcistb-4k-block' && c.device === 'ism' && c.qemu === 'v6.0',
    );
    assert.match(cell.summary, /plug refused/);
  });
});

describe('vfio-lens analyze on zPCI patches', { skip: sharedMissing() }, () => {
  test('q08 (changes the model does not read): the summary says so and counts them, never "no change"', () => {
    const file = fs.readdirSync(sharedPath('corpus', 'real')).find((f) => f.startsWith('q08_'))!;
    const r = vfioLens('analyze', sharedPath('corpus', 'real', file));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /behaviour: no change in what vfio-lens models; \d+ changes it does not model/);
    assert.doesNotMatch(r.out, /no change for any modelled device/);
    assert.match(r.out, /QEMU baseline: latest \(/);
  });

  test('q09: the ISM case in the summary, the QEMU baseline with its evidence', () => {
    const file = fs.readdirSync(sharedPath('corpus', 'real')).find((f) => f.startsWith('q09_'))!;
    const r = vfioLens('analyze', sharedPath('corpus', 'real', file));
    assert.match(r.out, /QEMU baseline: v7\.2 \(pre-images match v7\.2/);
    assert.match(
      r.out,
      /ism {2}plug: plug refused \("MSI-X support is mandatory in the S390 architecture"\) -> plugged, interpreted/,
    );
  });
});
