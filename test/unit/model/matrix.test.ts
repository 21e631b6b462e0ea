/** The behaviour matrix: every scenario x device kind x variant, deterministic, readable cells. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import {
  behaviourMatrix,
  deviceKinds,
  kernelSpec,
  kernelVariants,
} from '../../../server/src/analysis/modelRuns';
import { DEVICE_KIND_IDS, KERNEL_IDS } from '../../../server/src/model/index';

before(async () => {
  await initCParser();
});

test('the matrix has one cell per scenario, device kind and variant, and is deterministic', () => {
  const first = behaviourMatrix();
  const second = behaviourMatrix();
  assert.deepEqual(JSON.parse(JSON.stringify(first)), JSON.parse(JSON.stringify(second)));
  assert.deepEqual(first.devices, [...DEVICE_KIND_IDS]);
  assert.deepEqual(first.kernels, [...KERNEL_IDS]);
  assert.equal(first.cells.length, first.scenarios.length * DEVICE_KIND_IDS.length * KERNEL_IDS.length);
  for (const id of [
    'open-then-access',
    'enable-then-read-back',
    'enable-twice',
    'clear-then-access',
    'setpci-io-twice',
    'backdoor-reset-then-enable',
    'd3hot-then-access',
  ]) {
    assert.ok(
      first.scenarios.some((s) => s.id === id),
      id,
    );
  }
});

test('cells say what the user sees', () => {
  const m = behaviourMatrix();
  const cell = (scenario: string, device: string, kernel: string) =>
    m.cells.find((c) => c.scenario === scenario && c.device === device && c.kernel === kernel)?.summary;
  assert.match(
    cell('open-then-access', 's390-vf-detached', 'v5.8') ?? '',
    /mmio-read EIO; mmap-touch SIGBUS/,
  );
  assert.match(cell('open-then-access', 's390-vf-detached', 'v5.10') ?? '', /mmio-read ok; mmap-touch ok/);
  assert.match(cell('setpci-io-twice', 'pf-no-io', 'v5.10') ?? '', /write-cmd 0x0001 BARs restored \+ log$/);
});

test('a restricted list of specs gives only their columns', () => {
  const m = behaviourMatrix([kernelSpec('v5.8'), kernelSpec('v5.10')]);
  assert.deepEqual(m.kernels, ['v5.8', 'v5.10']);
});

test('device kinds and kernel variants are listed with labels and descriptions', () => {
  assert.deepEqual(
    deviceKinds().map((d) => d.id),
    [...DEVICE_KIND_IDS],
  );
  assert.deepEqual(
    kernelVariants().map((k) => k.id),
    [...KERNEL_IDS],
  );
  for (const item of [...deviceKinds(), ...kernelVariants()]) {
    assert.ok(item.label.length > 0 && item.description.length > 20, item.id);
  }
});
