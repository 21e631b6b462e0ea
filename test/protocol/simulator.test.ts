/** The simulator's custom requests answer what the CLI answers for the same question. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompareResult, MatrixResult, SimulateResult } from '../../server/src/lsp/protocol';
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
});
