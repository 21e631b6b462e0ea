/**
 * The models the simulator panel offers (client/src/simulatorPanel/models.ts), from the server's own
 * vocabulary: the vfio-pci model first and as before, the zPCI model with its QEMU versions, host
 * kernels, device kinds and steps; the references a chosen side becomes; the zPCI matrix as the page
 * draws it; a zPCI trace as plain text.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  choiceRef,
  modelOfRef,
  pageChoices,
  pageModel,
  zpciMatrixForPage,
  zpciRefLabel,
} from '../../../client/src/simulatorPanel/models';
import { parseFromPage } from '../../../client/src/simulatorPanel/messages';
import { traceToPlainText } from '../../../client/src/simulatorPanel/plainText';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { simulateZpci, zpciMatrix } from '../../../server/src/analysis/zpciRuns';
import { MODELS, VFIO_PCI_MODEL, ZPCI_MODEL } from '../../../server/src/model/index';

const patch = { before: 'before [PATCH v4 3/3] vfio/pci: c', after: 'after [PATCH v4 3/3] vfio/pci: c' };

before(async () => {
  await initCParser();
});

describe('the models the simulator panel offers', () => {
  test('vfio-pci: its kernels (after the patch sides), kinds with registers, steps, pair, as the vocabulary has them', () => {
    const m = pageModel(VFIO_PCI_MODEL, patch);
    assert.equal(m.id, 'vfio-pci');
    assert.equal(m.variantName, 'Kernel');
    assert.equal(m.hosts, undefined);
    assert.deepEqual(
      m.kernels.map((k) => k.value),
      ['before', 'after', ...VFIO_PCI_MODEL.variants.map((v) => v.id)],
    );
    assert.equal(m.kernels[0].label, patch.before);
    assert.deepEqual(
      m.devices.map((d) => d.id),
      VFIO_PCI_MODEL.devices.map((d) => d.id),
    );
    assert.ok(m.devices.find((d) => d.id === 'pf-pcie')?.registers?.includes('PCI_EXP_DEVCTL'));
    assert.deepEqual(
      m.steps.map((s) => s.action),
      VFIO_PCI_MODEL.steps.map((s) => s.action),
    );
    assert.deepEqual(m.defaults, { a: 'v5.8', b: 'v5.10' });
    assert.equal(m.presets, VFIO_PCI_MODEL.presets);
  });

  test('zPCI: QEMU versions (no patch sides), host kernels, the four kinds, every step with its arguments', () => {
    const m = pageModel(ZPCI_MODEL, patch);
    assert.equal(m.variantName, 'QEMU');
    assert.deepEqual(
      m.kernels.map((k) => k.value),
      ZPCI_MODEL.variants.map((v) => v.id),
    );
    assert.ok(['v5.2', 'v6.0', 'rfc-ism'].every((v) => m.kernels.some((k) => k.value === v)));
    assert.equal(m.hosts?.default, 'host-v6.15');
    assert.deepEqual(
      m.hosts?.options.map((o) => o.value),
      ZPCI_MODEL.hosts?.options.map((o) => o.id),
    );
    assert.deepEqual(
      m.devices.map((d) => d.id),
      ['zpci-intercepted', 'ism', 'zpci-interpreted', 'zpci-emulated'],
    );
    const step = (action: string) => m.steps.find((s) => s.action === action);
    for (const action of ['plug', 'enable', 'disable', 'error', 'reset']) assert.ok(step(action), action);
    assert.deepEqual(step('pcistb'), {
      action: 'pcistb',
      usage: 'pcistb AS OFFSET LEN [GADDR]',
      example: '0 0 4096',
    });
    assert.equal(step('pcilg')?.usage, 'pcilg AS OFFSET LEN [R2]');
    assert.equal(step('pcistg')?.usage, 'pcistg AS OFFSET LEN [R2]');
    assert.deepEqual(m.defaults, { a: 'v5.2', b: 'v6.0' });
    assert.deepEqual(
      m.columns.map((c) => c.key),
      ['outcome', 'delivery', 'check'],
    );
  });

  test('what a page message may name: each model its own ids; a zPCI message is checked against them', () => {
    const choices = pageChoices(MODELS.map((m) => pageModel(m)));
    assert.deepEqual(
      choices.map((c) => c.id),
      ['vfio-pci', 'zpci'],
    );
    assert.ok(choices[1].hosts?.includes('host-v5.7'));
    assert.equal(choices[0].hosts, undefined);
    const run = { type: 'run', model: 'zpci', device: 'ism', a: 'v5.2', b: 'v6.0', steps: ['plug'] };
    assert.deepEqual(parseFromPage(run, choices), run);
  });

  test('a chosen side becomes the reference its model takes', () => {
    const attached = { uri: 'file:///w/k05.mbox', patch: 3 };
    assert.deepEqual(choiceRef(ZPCI_MODEL, 'v6.0', 'host-v5.7', attached), {
      qemu: 'v6.0',
      host: 'host-v5.7',
    });
    assert.deepEqual(choiceRef(ZPCI_MODEL, 'v6.0', undefined, undefined), {
      qemu: 'v6.0',
      host: 'host-v6.15',
    });
    assert.deepEqual(choiceRef(VFIO_PCI_MODEL, 'v5.8', 'host-v5.7', attached), { kernel: 'v5.8' });
    assert.deepEqual(choiceRef(VFIO_PCI_MODEL, 'after', undefined, attached), {
      uri: attached.uri,
      patch: 3,
      side: 'after',
    });
    assert.equal(choiceRef(VFIO_PCI_MODEL, 'before', undefined, undefined), undefined);
    assert.equal(modelOfRef(MODELS, { qemu: 'v5.2' })?.id, 'zpci');
    assert.equal(modelOfRef(MODELS, { kernel: 'v5.8' })?.id, 'vfio-pci');
    assert.equal(modelOfRef(MODELS, { uri: attached.uri, side: 'before' })?.id, 'vfio-pci');
    assert.equal(zpciRefLabel({ qemu: 'v6.0', host: 'host-v6.15' }), 'v6.0 on host-v6.15');
  });

  test('the zPCI matrix keeps every cell, its QEMU versions as the columns', () => {
    const r = zpciMatrix(['v5.2', 'v6.0']);
    const m = zpciMatrixForPage(r);
    assert.deepEqual(m.kernels, ['v5.2', 'v6.0']);
    assert.deepEqual(m.devices, r.devices);
    assert.equal(m.cells.length, r.cells.length);
    assert.deepEqual(
      m.cells.map((c) => [c.scenario, c.device, c.kernel, c.summary, c.steps.join('; ')]),
      r.cells.map((c) => [c.scenario, c.device, c.qemu, c.summary, c.steps.join('; ')]),
    );
    assert.equal(m.pairs, undefined);
  });
});

describe('a zPCI trace as plain text', () => {
  test('the PCISTB length step differs between v5.2 and v6.0 and says why with the operands', () => {
    const steps = 'plug; enable; pcistb 0 0 16';
    const text = traceToPlainText(
      'zpci-intercepted',
      ['v5.2 on host-v6.15', 'v6.0 on host-v6.15'],
      simulateZpci('zpci-intercepted', 'v5.2', steps),
      simulateZpci('zpci-intercepted', 'v6.0', steps),
    );
    assert.match(text, /^vfio-lens simulation: zpci-intercepted\nsteps: plug; enable; pcistb 0 0 16\n/);
    assert.match(text, /3\. pcistb 0 0 16 {3}<-- differs\n/);
    assert.match(text, /v5\.2 on host-v6\.15: pcistb\/[a-z-]+: .*\(\d+\)/);
  });
});
