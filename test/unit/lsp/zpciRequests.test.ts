/**
 * The custom requests for the zPCI model, in process on a mocked connection: vfioLens/vocabulary
 * lists it, and simulate / compare / matrix / states answer a `{ qemu, host? }` reference with
 * what the CLI answers (the same facade); bad ids are InvalidParams naming the field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compareZpciVersions, simulateZpci } from '../../../server/src/analysis/zpciRuns';
import { simulationFacade } from '../../../server/src/lsp/facade';
import type {
  VocabularyResult,
  ZpciCompareResult,
  ZpciMatrixResult,
  ZpciSimulateResult,
  ZpciStatesResult,
} from '../../../server/src/lsp/protocol';
import { createServer, type VfioLensServer } from '../../../server/src/lsp/server';
import { ZPCI_DEVICE_KINDS, ZPCI_VERSION_SPECS } from '../../../server/src/model/zpci';
import { MockConnection } from './mockConnection';

type Rejection = { code: number; message: string };
const invalidParams = (pattern: RegExp) => (e: Rejection) => e.code === -32602 && pattern.test(e.message);

describe('the zPCI model through the custom requests', () => {
  const mock = new MockConnection();
  let server: VfioLensServer;

  before(async () => {
    server = createServer(mock.connection, { facade: simulationFacade() });
    await mock.call('onInitialize', { processId: null, rootUri: null, capabilities: {} });
    await mock.call('onInitialized', {});
  });

  after(() => server.dispose());

  test('vfioLens/vocabulary: the zPCI model with its QEMU versions, kinds, steps, presets and hosts', async () => {
    const { models } = await mock.request<VocabularyResult>('vfioLens/vocabulary', null);
    const z = models.find((m) => m.id === 'zpci')!;
    assert.equal(z.variantParam, 'qemu');
    assert.deepEqual(
      z.variants.map((v) => v.id),
      ZPCI_VERSION_SPECS.map((v) => v.id),
    );
    assert.deepEqual(
      z.devices.map((d) => d.id),
      ZPCI_DEVICE_KINDS.map((d) => d.id),
    );
    assert.ok(z.steps.some((s) => s.usage === 'pcistb AS OFFSET LEN [GADDR]'));
    assert.ok(z.presets.every((p) => p.steps[0] === 'plug'));
    assert.equal(z.hosts?.default, 'host-v6.15');
    assert.deepEqual(z.defaults, { a: 'v5.2', b: 'v6.0' });
    assert.equal(models[0].id, 'vfio-pci', 'the vfio-pci model stays first');
  });

  test('vfioLens/simulate with { qemu }: the CLI facade answer', async () => {
    const steps = 'plug; enable; pcistb 0 0 4096';
    const r = await mock.request<ZpciSimulateResult>('vfioLens/simulate', {
      device: 'ism',
      kernel: { qemu: 'v8.0' },
      steps,
    });
    assert.deepEqual(r, simulateZpci('ism', 'v8.0', steps));
    const onHost = await mock.request<ZpciSimulateResult>('vfioLens/simulate', {
      device: 'zpci-intercepted',
      kernel: { qemu: 'v6.0', host: 'host-v5.7' },
      steps: 'plug',
    });
    assert.equal(onHost.host, 'host-v5.7');
  });

  test('vfioLens/compare with two { qemu }: the comparison and, for ism, why there is none', async () => {
    const r = await mock.request<ZpciCompareResult>('vfioLens/compare', {
      a: { qemu: 'v5.2' },
      b: { qemu: 'v6.0' },
      device: 'ism',
    });
    assert.deepEqual(r, compareZpciVersions('v5.2', 'v6.0', { device: 'ism' }));
    assert.equal(r.unreached[0].sides[0].plug.outcome.kind, 'plug-refused');
  });

  test('vfioLens/matrix { model: "zpci" } and vfioLens/states with { qemu }', async () => {
    const m = await mock.request<ZpciMatrixResult>('vfioLens/matrix', {
      model: 'zpci',
      kernels: [{ qemu: 'v7.2' }, { qemu: 'v8.0' }],
    });
    assert.deepEqual(m.qemu, ['v7.2', 'v8.0']);
    const s = await mock.request<ZpciStatesResult>('vfioLens/states', {
      device: 'zpci-intercepted',
      kernel: { qemu: 'v8.0' },
    });
    assert.equal(s.model, 'zpci');
    assert.ok(s.states.length > 2 && s.edges.some((e) => e.step === 'plug'));
  });

  test('bad zPCI parameters are InvalidParams naming the field', async () => {
    await assert.rejects(
      mock.request('vfioLens/simulate', { device: 'ism', kernel: { qemu: 'v9' }, steps: 'plug' }),
      invalidParams(/^kernel\.qemu: expected one of v2\.3, /),
    );
    await assert.rejects(
      mock.request('vfioLens/simulate', { device: 'pf', kernel: { qemu: 'v8.0' }, steps: 'plug' }),
      invalidParams(/^device: expected one of zpci-intercepted, ism/),
    );
    await assert.rejects(
      mock.request('vfioLens/compare', { a: { qemu: 'v5.2' }, b: { kernel: 'v5.8' } }),
      invalidParams(/^b: expected \{ qemu, host\? \}/),
    );
    await assert.rejects(
      mock.request('vfioLens/states', { device: 'ism', kernel: { qemu: 'v8.0', host: 'host-v1' } }),
      invalidParams(/^kernel\.host: expected one of host-v5\.7/),
    );
    await assert.rejects(
      mock.request('vfioLens/simulate', { device: 'ism', kernel: { qemu: 'v8.0' }, steps: 'plug; pcistb' }),
      invalidParams(/^simulate: .*pcistb/),
    );
  });
});
