/** The simulator panel's untrusted-message checks, its plain-text copy, and command arguments. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseFromPage, parsePageState, MessageError } from '../../../client/src/simulatorPanel/messages';
import { traceToPlainText } from '../../../client/src/simulatorPanel/plainText';
import { checkDeviceArg, kernelRefLabel, patchSideChoices, toKernelRef } from '../../../client/src/kernels';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { simulateScript } from '../../../server/src/analysis/modelRuns';
import { VFIO_PCI_MODEL } from '../../../server/src/model/index';

const devices = ['pf', 's390-vf-detached'];
const kernels = ['v5.8', 'v5.10', 'before', 'after'];

describe('messages from the simulator page', () => {
  test('a run with known device, kernels and steps is accepted as is', () => {
    const msg = { type: 'run', device: 'pf', a: 'v5.8', b: null, steps: ['open', 'mmio-read'] };
    assert.deepEqual(parseFromPage(msg, devices, kernels), msg);
  });

  test('unknown types, devices, kernels and oversized scripts are refused, naming the field', () => {
    assert.throws(() => parseFromPage('run', devices, kernels), /must be an object/);
    assert.throws(() => parseFromPage({ type: 'exec' }, devices, kernels), /unknown message type/);
    assert.throws(
      () =>
        parseFromPage({ type: 'run', device: 'gpu', a: 'v5.8', b: null, steps: ['open'] }, devices, kernels),
      (e: unknown) =>
        e instanceof MessageError && /"device" must be one of pf, s390-vf-detached/.test(e.message),
    );
    assert.throws(
      () =>
        parseFromPage({ type: 'run', device: 'pf', a: 'v9.9', b: null, steps: ['open'] }, devices, kernels),
      /"a" must be one of/,
    );
    assert.throws(
      () => parseFromPage({ type: 'run', device: 'pf', a: 'v5.8', b: null, steps: [] }, devices, kernels),
      /"steps" must be 1 to 64 steps/,
    );
    const long = Array.from({ length: 65 }, () => 'open');
    assert.throws(() =>
      parseFromPage({ type: 'run', device: 'pf', a: 'v5.8', b: null, steps: long }, devices, kernels),
    );
    assert.throws(() =>
      parseFromPage(
        { type: 'run', device: 'pf', a: 'v5.8', b: null, steps: ['x'.repeat(201)] },
        devices,
        kernels,
      ),
    );
  });

  test('a render report must carry counts and a short headline', () => {
    const report = { view: 'trace', rows: 2, differing: 1, headline: '2 steps, 1 differ' };
    assert.deepEqual(parseFromPage({ type: 'rendered', report }, devices, kernels), {
      type: 'rendered',
      report,
    });
    assert.throws(
      () => parseFromPage({ type: 'rendered', report: { ...report, rows: -1 } }, devices, kernels),
      /"rows"/,
    );
    assert.throws(
      () => parseFromPage({ type: 'rendered', report: { ...report, view: 'x' } }, devices, kernels),
      /"view"/,
    );
    // the number of the result drawn, so that a redraw of an earlier one answers nobody's wait
    assert.deepEqual(parseFromPage({ type: 'rendered', report: { ...report, seq: 7 } }, devices, kernels), {
      type: 'rendered',
      report: { ...report, seq: 7 },
    });
    assert.throws(
      () => parseFromPage({ type: 'rendered', report: { ...report, seq: 'x' } }, devices, kernels),
      /"seq"/,
    );
  });

  test('saved page state keeps only well-formed fields', () => {
    assert.deepEqual(
      parsePageState(
        { device: 'gpu', a: 'v5.8', steps: [1, 2], view: 'trace', patch: { uri: 'file:///x', patch: -1 } },
        devices,
      ),
      {
        a: 'v5.8',
        view: 'trace',
        patch: { uri: 'file:///x', patch: undefined },
      },
    );
    assert.deepEqual(parsePageState(null, devices), {});
  });
});

describe('trace as plain text', () => {
  before(async () => {
    await initCParser();
  });

  test("differing steps are marked and explained with the server's texts, equal ones are not", () => {
    const steps = 'open; mmio-read';
    const text = traceToPlainText(
      's390-vf-detached',
      ['v5.8', 'v5.10'],
      simulateScript('s390-vf-detached', 'v5.8', steps),
      simulateScript('s390-vf-detached', 'v5.10', steps),
    );
    assert.match(text, /^vfio-lens simulation: s390-vf-detached\nsteps: open; mmio-read\n/);
    assert.match(
      text,
      /2\. mmio-read {3}<-- differs\n {3}v5\.8 {3}EIO, virt 0x0000, hw 0x0000\n {3}v5\.10 {2}ok, virt 0x0002 MEMORY, hw 0x0000/,
    );
    assert.match(
      text,
      /v5\.8: memory-enabled: pdev->is_virtfn \(0\) \|\| \(cmd & PCI_COMMAND_MEMORY\) \(0\) -> 0/,
    );
  });
});

describe('command arguments', () => {
  test("kernel refs and device kinds checked against the server's vocabulary", () => {
    const model = VFIO_PCI_MODEL;
    assert.deepEqual(toKernelRef(model, 'v5.10', 'kernel'), { kernel: 'v5.10' });
    assert.deepEqual(toKernelRef(model, { uri: 'file:///a', side: 'after' }, 'b'), {
      uri: 'file:///a',
      patch: undefined,
      side: 'after',
    });
    assert.throws(
      () => toKernelRef(model, { kernel: 'v9' }, 'kernel'),
      /kernel must be a kernel id \(v3\.6, v4\.19, v5\.7, /,
    );
    assert.throws(
      () => toKernelRef(model, { uri: 'file:///a', side: 'after', patch: 1.5 }, 'b'),
      /b\.patch must be a patch index/,
    );
    assert.equal(checkDeviceArg(model, 's390-vf-detached'), 's390-vf-detached');
    assert.equal(checkDeviceArg(model, undefined), undefined);
    assert.throws(() => checkDeviceArg(model, 'gpu'), /unknown device kind "gpu"/);
  });
});

describe('patch sides as the pickers and the panel name them', () => {
  const uri = 'file:///w/k05.mbox';
  const sides = [
    { before: 'before [PATCH v4 1/3] PCI/IOV: a', after: 'after [PATCH v4 3/3] vfio/pci: c' },
    { patch: 1, before: 'before [PATCH v4 1/3] PCI/IOV: a', after: 'after [PATCH v4 1/3] PCI/IOV: a' },
    { patch: 3, before: 'before [PATCH v4 3/3] vfio/pci: c', after: 'after [PATCH v4 3/3] vfio/pci: c' },
  ];

  test("a side by the server's name; a kernel by its id; unnamed ones without the message index", () => {
    assert.equal(kernelRefLabel({ uri, side: 'after' }, sides), 'after [PATCH v4 3/3] vfio/pci: c');
    assert.equal(kernelRefLabel({ uri, patch: 1, side: 'after' }, sides), 'after [PATCH v4 1/3] PCI/IOV: a');
    assert.equal(kernelRefLabel({ kernel: 'v5.8' }, sides), 'v5.8');
    assert.equal(kernelRefLabel({ uri, patch: 3, side: 'before' }), 'before this patch');
    assert.equal(kernelRefLabel({ uri, patch: 2, side: 'before' }, sides), 'before this patch');
  });

  test('the choices: the series first, before then after, each with the KernelRef the server accepts', () => {
    const choices = patchSideChoices(uri, sides);
    assert.deepEqual(
      choices.map((c) => c.label),
      sides.flatMap((s) => [s.before, s.after]),
    );
    assert.deepEqual(choices[0].ref, { uri, side: 'before' });
    assert.deepEqual(choices[5].ref, { uri, patch: 3, side: 'after' });
    // each ref is one toKernelRef takes back unchanged (the ids are the contract, not the names)
    const model = VFIO_PCI_MODEL;
    const sent = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown; // as a request carries it
    for (const c of choices) assert.deepEqual(sent(toKernelRef(model, c.ref, 'kernel')), c.ref);
    assert.deepEqual(
      patchSideChoices(uri, []).map((c) => [c.label, c.ref]),
      [
        ['before this patch', { uri, side: 'before' }],
        ['after this patch', { uri, side: 'after' }],
      ],
    );
  });
});
