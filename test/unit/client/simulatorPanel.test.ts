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
const vfio = { id: 'vfio-pci', devices, kernels };
const zpci = {
  id: 'zpci',
  devices: ['zpci-intercepted', 'ism'],
  kernels: ['v5.2', 'v6.0'],
  hosts: ['host-v5.7', 'host-v6.15'],
};
/** The vfio-pci model first, as the panel offers them. */
const models = [vfio, zpci];

describe('messages from the simulator page', () => {
  test('a run with known device, kernels and steps is accepted, naming its model (absent: the first)', () => {
    const msg = { type: 'run', device: 'pf', a: 'v5.8', b: null, steps: ['open', 'mmio-read'] };
    assert.deepEqual(parseFromPage(msg, models), { ...msg, model: 'vfio-pci' });
  });

  test('unknown types, devices, kernels and oversized scripts are refused, naming the field', () => {
    assert.throws(() => parseFromPage('run', models), /must be an object/);
    assert.throws(() => parseFromPage({ type: 'exec' }, models), /unknown message type/);
    assert.throws(
      () => parseFromPage({ type: 'run', device: 'gpu', a: 'v5.8', b: null, steps: ['open'] }, models),
      (e: unknown) =>
        e instanceof MessageError && /"device" must be one of pf, s390-vf-detached/.test(e.message),
    );
    assert.throws(
      () => parseFromPage({ type: 'run', device: 'pf', a: 'v9.9', b: null, steps: ['open'] }, models),
      /"a" must be one of/,
    );
    assert.throws(
      () => parseFromPage({ type: 'run', device: 'pf', a: 'v5.8', b: null, steps: [] }, models),
      /"steps" must be 1 to 64 steps/,
    );
    const long = Array.from({ length: 65 }, () => 'open');
    assert.throws(() =>
      parseFromPage({ type: 'run', device: 'pf', a: 'v5.8', b: null, steps: long }, models),
    );
    assert.throws(() =>
      parseFromPage({ type: 'run', device: 'pf', a: 'v5.8', b: null, steps: ['x'.repeat(201)] }, models),
    );
  });

  test('a zPCI run, compare, states and matrix name the model, its kinds, QEMU versions and host', () => {
    const run = {
      type: 'run',
      model: 'zpci',
      device: 'ism',
      a: 'v5.2',
      b: 'v6.0',
      host: 'host-v6.15',
      steps: ['plug', 'enable', 'pcistb 0 0 4096'],
    };
    assert.deepEqual(parseFromPage(run, models), run);
    const compare = {
      type: 'compare',
      model: 'zpci',
      device: 'ism',
      a: 'v5.2',
      b: 'v6.0',
      host: 'host-v5.7',
    };
    assert.deepEqual(parseFromPage(compare, models), compare);
    assert.deepEqual(parseFromPage({ ...compare, device: null }, models), { ...compare, device: null });
    const states = { type: 'states', model: 'zpci', device: 'zpci-intercepted', a: 'v6.0', b: null };
    assert.deepEqual(parseFromPage(states, models), states);
    const matrix = { type: 'matrix', model: 'zpci', a: 'v5.2', b: 'v6.0', host: 'host-v6.15' };
    assert.deepEqual(parseFromPage(matrix, models), matrix);
    // a vfio-pci compare (the page's Compare button) names the vfio-pci model
    assert.deepEqual(parseFromPage({ type: 'compare', device: 'pf', a: 'v5.8', b: 'v5.10' }, models), {
      type: 'compare',
      model: 'vfio-pci',
      device: 'pf',
      a: 'v5.8',
      b: 'v5.10',
    });
  });

  test("one model's ids are refused under another, and a bad model, host or compare side is named", () => {
    const run = { type: 'run', model: 'zpci', device: 'ism', a: 'v5.2', b: null, steps: ['plug'] };
    assert.throws(
      () => parseFromPage({ ...run, model: 'qemu' }, models),
      /"model" must be one of vfio-pci, zpci/,
    );
    assert.throws(
      () => parseFromPage({ ...run, device: 'pf' }, models),
      /"device" must be one of zpci-intercepted, ism/,
    );
    assert.throws(() => parseFromPage({ ...run, a: 'v5.8' }, models), /"a" must be one of v5\.2, v6\.0/);
    assert.throws(() => parseFromPage({ ...run, model: undefined }, models), /"a" must be one of v5\.8, /);
    assert.throws(
      () => parseFromPage({ ...run, host: 'host-v1' }, models),
      /"host" must be absent or one of host-v5\.7, host-v6\.15/,
    );
    // the vfio-pci model has no hosts
    assert.throws(
      () => parseFromPage({ type: 'matrix', a: 'v5.8', b: null, host: 'host-v6.15' }, models),
      /"host" must be absent$/,
    );
    assert.throws(
      () => parseFromPage({ type: 'compare', model: 'zpci', device: 'ism', a: 'v5.2', b: null }, models),
      /"b" must be one of v5\.2, v6\.0/,
    );
  });

  test('a render report must carry counts and a short headline', () => {
    const report = { view: 'trace', rows: 2, differing: 1, headline: '2 steps, 1 differ' };
    assert.deepEqual(parseFromPage({ type: 'rendered', report }, models), {
      type: 'rendered',
      report,
    });
    assert.throws(
      () => parseFromPage({ type: 'rendered', report: { ...report, rows: -1 } }, models),
      /"rows"/,
    );
    assert.throws(
      () => parseFromPage({ type: 'rendered', report: { ...report, view: 'x' } }, models),
      /"view"/,
    );
    // the number of the result drawn, so that a redraw of an earlier one answers nobody's wait
    assert.deepEqual(parseFromPage({ type: 'rendered', report: { ...report, seq: 7 } }, models), {
      type: 'rendered',
      report: { ...report, seq: 7 },
    });
    assert.throws(
      () => parseFromPage({ type: 'rendered', report: { ...report, seq: 'x' } }, models),
      /"seq"/,
    );
  });

  test('saved page state keeps a known model and a device kind of that model', () => {
    assert.deepEqual(parsePageState({ model: 'zpci', device: 'ism', a: 'v6.0', host: 'host-v5.7' }, models), {
      model: 'zpci',
      device: 'ism',
      a: 'v6.0',
      host: 'host-v5.7',
    });
    assert.deepEqual(parsePageState({ model: 'zpci', device: 'pf' }, models), { model: 'zpci' });
    assert.deepEqual(parsePageState({ model: 'nope', device: 'pf', a: 'v5.8' }, models), {});
  });

  test('saved page state keeps only well-formed fields', () => {
    assert.deepEqual(
      parsePageState(
        { device: 'gpu', a: 'v5.8', steps: [1, 2], view: 'trace', patch: { uri: 'file:///x', patch: -1 } },
        models,
      ),
      {
        a: 'v5.8',
        view: 'trace',
        patch: { uri: 'file:///x', patch: undefined },
      },
    );
    assert.deepEqual(parsePageState(null, models), {});
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
