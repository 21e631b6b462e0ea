/**
 * What the simulator page accepts from the extension (issue 13): messages from its own origin only,
 * each with every field its views read; and the CSP its HTML carries.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { MessageError, parseToPage, receiveToPage } from '../../../client/src/simulatorPanel/messages';
import { simulatorCsp } from '../../../client/src/simulatorPanel/csp';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import {
  behaviourMatrix,
  comparePolicies,
  kernelSpec,
  reachableStates,
  simulateScript,
} from '../../../server/src/analysis/modelRuns';
import {
  compareZpciVersions,
  simulateZpci,
  zpciMatrix,
  zpciStates,
} from '../../../server/src/analysis/zpciRuns';
import { VFIO_PCI_MODEL, ZPCI_MODEL } from '../../../server/src/model/index';
import { pageModel, zpciMatrixForPage } from '../../../client/src/simulatorPanel/models';

const ORIGIN = 'vscode-webview://0a1b2c';

describe('messages to the simulator page', () => {
  before(async () => {
    await initCParser();
  });

  test("the server's own results pass the page's checks unchanged", () => {
    const a = simulateScript('s390-vf-detached', 'v5.8', 'open; mmio-read');
    const b = simulateScript('s390-vf-detached', 'v5.10', 'open; mmio-read');
    const messages = [
      { type: 'init', models: [pageModel(VFIO_PCI_MODEL), pageModel(ZPCI_MODEL)] },
      {
        type: 'init',
        models: [pageModel(VFIO_PCI_MODEL, { before: 'before [PATCH 1/1] x', after: 'after [PATCH 1/1] x' })],
        setup: { model: 'vfio-pci', a: 'before', b: 'after', view: 'trace' },
      },
      { type: 'trace', labels: ['v5.8', 'v5.10'], a, b },
      { type: 'trace', labels: ['v5.8', null], a, b: null },
      {
        type: 'compare',
        labels: ['v5.8', 'v5.10'],
        result: comparePolicies('v5.8', 'v5.10', { device: 's390-vf-detached' }),
      },
      { type: 'matrix', result: behaviourMatrix([kernelSpec('v5.8'), kernelSpec('v5.10')]) },
      {
        type: 'matrix',
        result: behaviourMatrix([kernelSpec('v5.8'), kernelSpec('v5.10')]),
        names: ['before [PATCH v5 3/3] s', 'after [PATCH v5 3/3] s'],
      },
      {
        type: 'states',
        labels: ['v5.8', 'v5.10'],
        a: reachableStates('pf', 'v5.8'),
        b: reachableStates('pf', 'v5.10'),
      },
      { type: 'busy', what: 'simulating' },
      { type: 'error', message: 'no' },
      { type: 'copied', text: 'x\ny' },
    ];
    for (const msg of messages) {
      const plain: unknown = JSON.parse(JSON.stringify(msg)); // as postMessage hands it over
      assert.deepEqual(receiveToPage({ origin: ORIGIN, data: plain }, ORIGIN), plain, msg.type);
    }
  });

  test("the zPCI model's results pass the page's checks unchanged", () => {
    const steps = 'plug; enable; pcistb 0 0 4096';
    const a = simulateZpci('zpci-intercepted', 'v5.2', steps);
    const b = simulateZpci('zpci-intercepted', 'v6.0', steps);
    const ism = compareZpciVersions('v5.2', 'v6.0', { device: 'ism' });
    assert.ok(ism.unreached.length > 0, 'ism is refused at plug on both sides: the page shows why');
    const messages = [
      { type: 'trace', labels: ['v5.2 on host-v6.15', 'v6.0 on host-v6.15'], a, b },
      { type: 'compare', labels: ['v5.2', 'v6.0'], result: ism },
      {
        type: 'compare',
        labels: ['v5.2', 'v6.0'],
        result: compareZpciVersions('v5.2', 'v6.0', { device: 'zpci-intercepted' }),
      },
      { type: 'matrix', result: zpciMatrixForPage(zpciMatrix(['v5.2', 'v6.0'])) },
      {
        type: 'states',
        labels: ['v5.2', 'v6.0'],
        a: zpciStates('ism', 'rfc-ism'),
        b: zpciStates('ism', 'v6.0'),
      },
    ];
    for (const msg of messages) {
      const plain: unknown = JSON.parse(JSON.stringify(msg));
      assert.deepEqual(receiveToPage({ origin: ORIGIN, data: plain }, ORIGIN), plain, msg.type);
    }
  });

  test('a malformed zPCI comparison or model list is refused before anything is drawn', () => {
    const ism = JSON.parse(JSON.stringify(compareZpciVersions('v5.2', 'v6.0', { device: 'ism' }))) as {
      unreached: { sides: { plug: unknown }[]; reaches: unknown }[];
      notes: unknown;
    };
    const compare = (result: unknown) => ({ type: 'compare', labels: ['v5.2', 'v6.0'], result });
    const noPlug = structuredClone(ism);
    noPlug.unreached[0].sides[0].plug = { action: 'plug' };
    assert.throws(() => parseToPage(compare(noPlug)), /malformed "compare"/);
    const badReaches = structuredClone(ism);
    badReaches.unreached[0].reaches = 'v2.3';
    assert.throws(() => parseToPage(compare(badReaches)), /malformed "compare"/);
    assert.throws(() => parseToPage(compare({ ...ism, notes: [1] })), /malformed "compare"/);
    assert.throws(() => parseToPage({ type: 'init', models: [] }), /malformed "init"/);
    const z = pageModel(ZPCI_MODEL);
    assert.throws(
      () => parseToPage({ type: 'init', models: [{ ...z, hosts: { options: 'host-v6.15' } }] }),
      /malformed "init"/,
    );
    assert.throws(
      () => parseToPage({ type: 'init', models: [{ ...z, steps: [{ action: 'plug' }] }] }),
      /malformed "init"/,
    );
  });

  test('a message from another origin is refused whatever it holds', () => {
    assert.throws(
      () => receiveToPage({ origin: 'https://evil.example', data: { type: 'busy', what: 'x' } }, ORIGIN),
      (e: unknown) =>
        e instanceof MessageError && /foreign origin \(https:\/\/evil\.example\)/.test(e.message),
    );
    assert.throws(() => receiveToPage({ origin: 'null', data: { type: 'busy', what: 'x' } }, ORIGIN));
  });

  test('malformed messages are refused, naming the type, before anything is drawn', () => {
    const trace = simulateScript('pf', 'v5.8', 'open; mmio-read');
    assert.throws(() => parseToPage(null), /must be an object/);
    assert.throws(() => parseToPage([1]), /must be an object/);
    assert.throws(() => parseToPage({ type: 'exec' }), /unknown message type "exec"/);
    assert.throws(() => parseToPage({ type: 'toString' }), /unknown message type/);
    assert.throws(() => parseToPage({ type: 'busy' }), /malformed "busy"/);
    assert.throws(
      () => parseToPage({ type: 'trace', labels: ['v5.8', null], a: {}, b: null }),
      /malformed "trace"/,
    );
    const badCell = JSON.parse(JSON.stringify(trace)) as { trace: { display: { cells: unknown } }[] };
    badCell.trace[1].display.cells = { outcome: 5 };
    assert.throws(
      () => parseToPage({ type: 'trace', labels: ['v5.8', null], a: badCell, b: null }),
      /malformed "trace"/,
    );
    assert.throws(
      () => parseToPage({ type: 'matrix', result: { scenarios: [], devices: 'pf', kernels: [], cells: [] } }),
      /malformed "matrix"/,
    );
    const matrix = behaviourMatrix([kernelSpec('v5.8'), kernelSpec('v5.10')]);
    // the columns' names: one string per kernel of the result
    for (const names of [['only one'], ['a', 5], 'a,b'])
      assert.throws(() => parseToPage({ type: 'matrix', result: matrix, names }), /malformed "matrix"/);
    assert.throws(
      () =>
        parseToPage({ type: 'states', labels: ['v5.8', null], a: { device: 'pf', states: 'x' }, b: null }),
      /malformed "states"/,
    );
    const model = { ...pageModel(VFIO_PCI_MODEL), devices: [], presets: [], steps: [] };
    const init = { type: 'init', models: [model] };
    // no legend, no columns
    assert.throws(
      () => parseToPage({ ...init, models: [{ ...model, legend: undefined, columns: undefined }] }),
      /malformed "init"/,
    );
    assert.ok(parseToPage(init));
    // a device's registers (the step editor offers them by name) are strings or absent
    const withRegisters = (registers: unknown) => ({
      ...init,
      models: [{ ...model, devices: [{ id: 'pf-pcie', label: 'PF', registers }] }],
    });
    assert.ok(parseToPage(withRegisters(['PCI_EXP_DEVCTL', 'PCI_PM_CTRL'])));
    assert.throws(() => parseToPage(withRegisters([1, 2])), /malformed "init"/);
    assert.throws(() => parseToPage({ type: 'busy', what: 'x', seq: 'one' }), /malformed "busy"/);
  });
});

describe("the simulator page's CSP", () => {
  test('nothing by default, scripts by nonce only, no <base> and no form submission', () => {
    const csp = simulatorCsp('https://file+.vscode-resource.vscode-cdn.net', 'abc');
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    assert.equal(directives.get('default-src'), "'none'");
    assert.equal(directives.get('script-src'), "'nonce-abc'");
    assert.equal(directives.get('base-uri'), "'none'");
    assert.equal(directives.get('form-action'), "'none'");
    assert.equal(directives.get('style-src'), 'https://file+.vscode-resource.vscode-cdn.net');
    assert.ok(![...directives.values()].some((v) => /unsafe-inline|unsafe-eval|\*/.test(v)), csp);
  });
});
