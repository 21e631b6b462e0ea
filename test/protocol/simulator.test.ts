/** The simulator's custom requests answer what the CLI answers for the same question. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CompareResult,
  MatrixResult,
  SimulateResult,
  ZpciCompareResult,
  ZpciMatrixResult,
  ZpciSimulateResult,
  ZpciStatesResult,
} from '../../server/src/lsp/protocol';
import { cliJson } from './cli';
import { LspClient } from './lspClient';

describe('language server: vfioLens/simulate, compare, matrix against the CLI', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client?.stop();
  });

  test('vfioLens/simulate = vfio-lens simulate --format json', async () => {
    const cases: [string, string, string][] = [
      ['vf', 'v5.8', 'open; write-cmd 0x0002; read-cmd; mmio-read'],
      ['s390-vf-detached', 'v5.8', 'open; mmio-read; mmap-touch'],
      ['s390-vf-detached', 'v5.10', 'open; write-cmd 0x0001; write-cmd 0x0001'],
      ['pf', 'v5.7', 'open; write-cmd 0x0000; mmio-read'],
    ];
    for (const [device, kernel, steps] of cases) {
      const viaServer = await client.request<SimulateResult>('vfioLens/simulate', {
        device,
        kernel: { kernel },
        steps,
      });
      const viaCli = cliJson<SimulateResult>([
        'simulate',
        '--device',
        device,
        '--kernel',
        kernel,
        '--steps',
        steps,
      ]);
      assert.deepEqual(viaServer, viaCli, `${device} ${kernel} ${steps}`);
      assert.equal(viaServer.trace.length, steps.split(';').length);
    }
  });

  test('a bad step script is a clear InvalidParams error', async () => {
    await assert.rejects(
      client.request('vfioLens/simulate', {
        device: 'vf',
        kernel: { kernel: 'v5.8' },
        steps: 'open; fly-away',
      }),
      (e: { code: number; message: string }) => {
        assert.equal(e.code, -32602);
        assert.match(e.message, /fly-away/);
        return true;
      },
    );
  });

  test('vfioLens/states is bounded: depth past 12 or more than 256 steps is InvalidParams, not a long walk', async () => {
    const reject = (params: object, message: RegExp) =>
      assert.rejects(client.request('vfioLens/states', params), (e: { code: number; message: string }) => {
        assert.equal(e.code, -32602);
        assert.match(e.message, message);
        return true;
      });
    await reject(
      { device: 'vf', kernel: { kernel: 'v5.8' }, depth: 1_000_000 },
      /depth: expected a whole number from 1 to 12, got 1000000/,
    );
    const steps = Array.from({ length: 257 }, () => 'mmio-read');
    await reject(
      { device: 'vf', kernel: { kernel: 'v5.8' }, steps },
      /steps: at most 256 steps to try, got 257/,
    );
    const within = await client.request<{ states: unknown[] }>('vfioLens/states', {
      device: 'vf',
      kernel: { kernel: 'v5.8' },
      depth: 12,
      steps: steps.slice(0, 256),
    });
    assert.ok(within.states.length >= 1);
  });

  test('vfioLens/compare = vfio-lens compare --format json', async () => {
    const viaServer = await client.request<CompareResult>('vfioLens/compare', {
      a: { kernel: 'v5.8' },
      b: { kernel: 'v5.10' },
      device: 's390-vf-detached',
    });
    const viaCli = cliJson<CompareResult>([
      'compare',
      '--kernel',
      'v5.8',
      '--kernel',
      'v5.10',
      '--device',
      's390-vf-detached',
    ]);
    assert.deepEqual(viaServer, viaCli);
    assert.ok(viaServer.differences.length > 0, 'v5.8 and v5.10 differ for a detached s390 VF');
  });

  test('vfioLens/matrix = vfio-lens matrix --format json', async () => {
    const viaServer = await client.request<MatrixResult>('vfioLens/matrix', {});
    const viaCli = cliJson<MatrixResult>(['matrix']);
    assert.deepEqual(viaServer, viaCli);
    const sub = await client.request<MatrixResult>('vfioLens/matrix', {
      kernels: [{ kernel: 'v5.8' }, { kernel: 'v5.10' }],
    });
    assert.deepEqual(sub.kernels, ['v5.8', 'v5.10']);
  });

  // the zPCI sides the simulator panel sends ({ qemu, host }): the server runs the zPCI model
  test('vfioLens/simulate with a zPCI side = vfio-lens simulate --qemu --host --format json', async () => {
    const steps = 'plug; enable; pcistb 0 0 4096';
    const viaServer = await client.request<ZpciSimulateResult>('vfioLens/simulate', {
      device: 'zpci-intercepted',
      kernel: { qemu: 'v6.0', host: 'host-v5.7' },
      steps,
      explain: true,
    });
    const viaCli = cliJson<ZpciSimulateResult>([
      'simulate',
      '--device',
      'zpci-intercepted',
      '--qemu',
      'v6.0',
      '--host',
      'host-v5.7',
      '--steps',
      steps,
    ]);
    assert.deepEqual(viaServer, viaCli);
    assert.equal(viaServer.model, 'zpci');
    assert.equal(viaServer.trace[2].display.cells.check, 'pcistb/length');
  });

  test('vfioLens/compare with zPCI sides = vfio-lens compare --qemu --qemu: ism refused at plug, and why', async () => {
    const viaServer = await client.request<ZpciCompareResult>('vfioLens/compare', {
      a: { qemu: 'v5.2', host: 'host-v6.15' },
      b: { qemu: 'v6.0', host: 'host-v6.15' },
      device: 'ism',
    });
    const viaCli = cliJson<ZpciCompareResult>([
      'compare',
      '--qemu',
      'v5.2',
      '--qemu',
      'v6.0',
      '--device',
      'ism',
    ]);
    assert.deepEqual(viaServer, viaCli);
    assert.deepEqual(viaServer.differences, []);
    // where the PCISTB length change shows instead: 4096 read as 0 before v6.0
    const intercepted = viaServer.unreached[0].elsewhere.find((e) => e.device === 'zpci-intercepted');
    assert.match(intercepted?.internalExample ?? '', /pcistb 0 0 4096: .*len \(0\).*→.*len \(4096\)/);
  });

  test('vfioLens/matrix { model: "zpci" } and vfioLens/states with zPCI sides = the CLI', async () => {
    const viaServer = await client.request<ZpciMatrixResult>('vfioLens/matrix', {
      model: 'zpci',
      kernels: [
        { qemu: 'v5.2', host: 'host-v6.15' },
        { qemu: 'v6.0', host: 'host-v6.15' },
      ],
    });
    const viaCli = cliJson<ZpciMatrixResult>([
      'matrix',
      '--model',
      'zpci',
      '--qemu',
      'v5.2',
      '--qemu',
      'v6.0',
    ]);
    assert.deepEqual(viaServer, viaCli);
    const states = await client.request<ZpciStatesResult>('vfioLens/states', {
      device: 'ism',
      kernel: { qemu: 'rfc-ism', host: 'host-v6.15' },
    });
    assert.equal(states.model, 'zpci');
    assert.equal(states.qemu, 'rfc-ism');
    assert.ok(states.edges.some((e) => e.step.startsWith('pcistb')));
  });
});
