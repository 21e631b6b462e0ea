/**
 * Nothing a document holds keeps the server's main thread (issue 13): a C file is linted on the
 * analysis worker, so a hover on another document is answered while it runs, and the size limit
 * (vfioLens.maxDocumentSize) holds for C files as for patches. Order of events, not timing: once
 * the C file's analysis reports progress, a hover's answer must come before its diagnostics.
 * vfioLens/simulate and vfioLens/matrix, which run on the main thread, are bounded and say so.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';
import { MAX_SCRIPT_STEPS } from '../../server/src/model/steps';
import { MAX_MATRIX_KERNELS } from '../../server/src/lsp/customRequests';

const INVALID_PARAMS = -32602;

/** A C file large enough that its lints take a while (on the main thread they blocked every request). */
function bigCFile(bytes: number): string {
  const line = 'static int f(struct pci_dev *pdev) { if (pdev->is_virtfn) return 1; /* MSE */ return 0; }\n';
  return line.repeat(Math.ceil(bytes / line.length));
}

describe('C files off the main thread, under the size limit', () => {
  test('a hover on one document is answered while a large C file is linted', async () => {
    // progress from the first millisecond: its begin says the C file's analysis is running
    const client = await LspClient.start({ initializationOptions: { debounceMs: 0, progressDelayMs: 0 } });
    try {
      const small = 'file:///t/small.c';
      client.open(small, 'c', 'x = PCI_COMMAND_INTX_DISABLE;\n');
      await client.waitForDiagnostics(small, 1);
      const events: string[] = [];
      const big = 'file:///t/big.c';
      const bigDiagnostics = client.nextDiagnostics(big, 1).then((d) => (events.push('C diagnostics'), d));
      const begun = client.progress.length;
      client.open(big, 'c', bigCFile(400_000));
      await client.waitFor('the C file analysis to begin', () =>
        client.progress.slice(begun).some((p) => p.value.kind === 'begin') ? true : undefined,
      );
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: small },
        position: { line: 0, character: 6 },
      });
      events.push('hover');
      assert.match(JSON.stringify(hover?.contents), /PCI_COMMAND_INTX_DISABLE/);
      const diagnostics = await bigDiagnostics;
      assert.deepEqual(events, ['hover', 'C diagnostics']);
      assert.ok(
        diagnostics.some((d) => d.code === 'mse-means-vf-mse'),
        JSON.stringify(diagnostics.map((d) => d.code)),
      );
    } finally {
      await client.stop();
    }
  });

  test('a C file over vfioLens.maxDocumentSize gets the too-large diagnostic and nothing else', async () => {
    const client = await LspClient.start({ initializationOptions: { debounceMs: 0 } });
    try {
      client.settings = { maxDocumentSize: 1000 };
      const uri = 'file:///t/over.c';
      client.open(uri, 'c', bigCFile(5000));
      const diagnostics = await client.waitForDiagnostics(uri, 1);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['document-too-large'],
      );
      assert.match(
        String(diagnostics[0].message),
        /over the limit of 1,000 bytes set by vfioLens\.maxDocumentSize/,
      );
    } finally {
      await client.stop();
    }
  });
});

describe('model requests on the main thread are bounded', () => {
  test('vfioLens/simulate: a script of the limit runs (linear), one step more is InvalidParams naming it', async () => {
    const client = await LspClient.start({ initializationOptions: { debounceMs: 0 } });
    try {
      const script = (n: number) =>
        [
          'open',
          ...Array.from({ length: n - 1 }, (_, i) => ['write-cmd 0x0002', 'read-cmd', 'mmio-read'][i % 3]),
        ].join('; ');
      const params = (n: number) => ({
        device: 'vf',
        kernel: { kernel: 'v5.8' },
        steps: script(n),
        explain: false,
      });
      const ran = await client.request<{ trace: unknown[] }>('vfioLens/simulate', params(MAX_SCRIPT_STEPS));
      assert.equal(ran.trace.length, MAX_SCRIPT_STEPS);
      await assert.rejects(
        client.request('vfioLens/simulate', params(MAX_SCRIPT_STEPS + 1)),
        (e: { code?: number; message?: string }) => {
          assert.equal(e.code, INVALID_PARAMS, e.message);
          assert.match(
            e.message ?? '',
            new RegExp(`${MAX_SCRIPT_STEPS + 1} steps, over the limit of ${MAX_SCRIPT_STEPS} steps`),
          );
          return true;
        },
      );
      const kernels = (n: number) => Array.from({ length: n }, () => ({ kernel: 'v5.8' }));
      const matrix = await client.request<{ cells: unknown[] }>('vfioLens/matrix', { kernels: kernels(2) });
      assert.ok(matrix.cells.length > 0);
      await assert.rejects(
        client.request('vfioLens/matrix', { kernels: kernels(2000) }),
        (e: { code?: number; message?: string }) => {
          assert.equal(e.code, INVALID_PARAMS, e.message);
          assert.match(
            e.message ?? '',
            new RegExp(`2000 kernel references, over the limit of ${MAX_MATRIX_KERNELS}`),
          );
          return true;
        },
      );
    } finally {
      await client.stop();
    }
  });
});
