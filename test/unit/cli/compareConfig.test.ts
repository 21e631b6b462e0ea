/**
 * `compare` over the one model's config space (issue 11, done-when): v3.6 against v5.8 finds the
 * PCIe DEVCTL and PM changes; a variant against itself finds nothing; v5.19 against v6.15 shows the
 * Interrupt Pin change on the kinds without an IRQ, and for `vf` says why there is none.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { comparePolicies, policyOf } from '../../../server/src/analysis/modelRuns';
import { sameOnDevice } from '../../../server/src/analysis/sameOnDevice';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { KERNEL_IDS } from '../../../server/src/model/index';

const stepsOf = (r: ReturnType<typeof comparePolicies>) => r.differences.map((d) => d.steps.join('; '));

describe('compare on the config space', () => {
  before(initCParser);

  test('v3.6 vs v5.8 on pf-pcie: the PCIe DEVCTL and the PM changes', () => {
    const r = comparePolicies('v3.6', 'v5.8', { device: 'pf-pcie', part: 'config' });
    const steps = stepsOf(r);
    assert.ok(
      steps.some((s) => /PCI_EXP_DEVCTL/.test(s)),
      steps.join('\n'),
    );
    assert.ok(
      steps.some((s) => /PCI_PM_CTRL|set-power/.test(s)),
      steps.join('\n'),
    );
    assert.ok((r.stats?.states ?? 0) > 0);
  });

  test('every variant against itself finds nothing (pf-pcie and vf, both explorations)', () => {
    for (const k of KERNEL_IDS)
      for (const device of ['pf-pcie', 'vf'])
        assert.deepEqual(stepsOf(comparePolicies(k, k, { device })), [], `${k} ${device}`);
  });

  test('v5.19 vs v6.15: the pin is zeroed for no-irq and irq-notconnected, not for vf (since db04264fe9bc every VF pin is 0)', () => {
    for (const device of ['no-irq', 'irq-notconnected'])
      assert.ok(
        stepsOf(comparePolicies('v5.19', 'v6.15', { device, part: 'config' })).includes(
          'open; cfg-read PCI_INTERRUPT_PIN 1',
        ),
        device,
      );
    const vf = comparePolicies('v5.19', 'v6.15', { device: 'vf' });
    assert.deepEqual(stepsOf(vf), []);
    const why = sameOnDevice(policyOf('v5.19'), policyOf('v6.15'), 'vf', ['v5.19', 'v6.15']);
    const pin = why.findIndex((l) => l.startsWith('pin-zero at open: '));
    assert.ok(pin >= 0, why.join('\n'));
    assert.match(why[pin], /IRQ_NOTCONNECTED/);
    assert.ok(
      why
        .slice(pin + 1)
        .some((l) => /^ {2}both take vf-pin-zero: `pdev->is_virtfn` \(pdev->is_virtfn = 1\) = 1$/.test(l)),
      why.join('\n'),
    );
  });

  test('kernels that write every decision alike say so', () => {
    const why = sameOnDevice(policyOf('v5.8'), policyOf('v5.8'), 'vf', ['v5.8', 'v5.8']);
    assert.match(why[0], /write every decision alike/);
  });
});
