/**
 * The language server over stdio, the parts that do not depend on the analysis's findings:
 * knowledge hovers, the size limit, settings, edits, cancellation and bad parameters.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { Hover } from 'vscode-languageserver-protocol';
import { readShared, sharedMissing } from '../support/shared';
import { LspClient } from './lspClient';

const SEED = '002_4b73f9f607840218.txt';
const hoverText = (h: Hover | null): string =>
  h && typeof h.contents === 'object' && 'value' in h.contents ? String(h.contents.value) : '';

/** The position of the n-th occurrence (0-based) of `needle` in `text`, plus `offset` characters. */
function positionOf(text: string, needle: string, nth = 0, offset = 1): { line: number; character: number } {
  const lines = text.split(/\r?\n/);
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    let from = 0;
    for (let at = lines[line].indexOf(needle, from); at >= 0; at = lines[line].indexOf(needle, from)) {
      if (seen++ === nth) return { line, character: at + offset };
      from = at + 1;
    }
  }
  throw new Error(`"${needle}" #${nth} not found`);
}

describe('language server: hovers, limits, settings, cancellation', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ initializationOptions: { debounceMs: 20 } });
  });
  after(async () => {
    await client?.stop();
  });

  test('initialize advertises the features, and pull diagnostics only to clients that ask', async () => {
    const caps = (client.initializeResult as { capabilities: Record<string, unknown> }).capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.inlayHintProvider, true);
    assert.deepEqual(caps.codeLensProvider, { resolveProvider: false });
    assert.equal(caps.codeActionProvider, true);
    assert.equal(caps.diagnosticProvider, undefined);
    const puller = await LspClient.start({
      capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: {} } },
    });
    try {
      const pcaps = (puller.initializeResult as { capabilities: Record<string, unknown> }).capabilities;
      assert.deepEqual(pcaps.diagnosticProvider, {
        identifier: 'vfio-lens',
        interFileDependencies: false,
        workspaceDiagnostics: false,
      });
      puller.settings = { maxDocumentSize: 10 };
      const uri = 'file:///t/pulled.patch';
      puller.open(uri, 'diff', 'a much longer text than ten bytes\n');
      const report = await puller.request<{ kind: string; items: { code: string }[] }>(
        'textDocument/diagnostic',
        {
          textDocument: { uri },
        },
      );
      assert.equal(report.kind, 'full');
      assert.deepEqual(
        report.items.map((d) => d.code),
        ['document-too-large'],
      );
      assert.equal(puller.published.length, 0, 'no push to a pull client');
    } finally {
      await puller.stop();
    }
  });

  test(
    'hover on is_virtfn, dev_flags and PCI_DEV_FLAGS_FORCE_COMMAND_MEM in the seed series',
    { skip: sharedMissing() },
    async () => {
      const text = readShared('seeds', SEED);
      const uri = 'file:///seed-002.txt';
      client.open(uri, 'plaintext', text);
      const ask = (needle: string, nth = 0) =>
        client.request<Hover | null>('textDocument/hover', {
          textDocument: { uri },
          position: positionOf(text, needle, nth),
        });

      const virtfn = await ask('is_virtfn');
      assert.match(hoverText(virtfn), /\*\*is_virtfn\*\* — pci_dev field/);
      assert.match(hoverText(virtfn), /detached s390 VF/);
      const flags = await ask('dev_flags &');
      assert.match(hoverText(flags), /\*\*dev_flags\*\*/);
      const force = await ask('PCI_DEV_FLAGS_FORCE_COMMAND_MEM', 1);
      assert.match(hoverText(force), /\*\*PCI_DEV_FLAGS_FORCE_COMMAND_MEM\*\*/);
      assert.match(hoverText(force), /\| 12 \(0x1000\) \|/);
      assert.match(hoverText(force), /HAS_MSI_MASKING/);
      const at = positionOf(text, 'PCI_DEV_FLAGS_FORCE_COMMAND_MEM', 1);
      assert.deepEqual(force?.range, {
        start: { line: at.line, character: at.character - 1 },
        end: { line: at.line, character: at.character - 1 + 'PCI_DEV_FLAGS_FORCE_COMMAND_MEM'.length },
      });
      const nothing = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionOf(text, 'Signed-off-by'),
      });
      assert.equal(nothing, null);
      client.close(uri);
    },
  );

  test('hover works in C files and on quoted lines', async () => {
    const uri = 'file:///t/vfio_pci_config.c';
    const text =
      'bool f(struct vfio_pci_core_device *vdev)\n{\n\treturn pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY);\n}\n';
    client.open(uri, 'c', text);
    const h = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'no_command_memory'),
    });
    assert.match(hoverText(h), /12856e7acde4/);
    const s = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'vfio_pci_core_device'),
    });
    assert.match(hoverText(s), /vfio_pci_device/);
    const quoted = 'file:///t/reply.eml';
    const qtext = 'From: someone\nSubject: Re: x\n\n> > +\tif (zdev->vfn) {\n';
    client.open(quoted, 'patch-mail', qtext);
    const z = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: quoted },
      position: positionOf(qtext, 'zdev'),
    });
    assert.match(hoverText(z), /\*\*zdev->vfn\*\*/);
  });

  test('plain text without a patch or thread is left alone; the same text as a diff is read', async () => {
    // A stray @@ line and no file header: the reader finds no patch in it.
    const prose = 'Notes to self\n@@ -1,3 +1,3 @@\n-a\n+b\n';
    const uri = 'file:///t/notes.txt';
    client.open(uri, 'plaintext', prose);
    assert.deepEqual(await client.waitForDiagnostics(uri, 1), []);
    const asDiff = 'file:///t/notes.diff';
    client.open(asDiff, 'diff', prose);
    const d = await client.waitForDiagnostics(asDiff, 1);
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line]),
      [['read-problem', 1]],
    );
  });

  test('C files get the line lints that apply to plain C', async () => {
    const uri = 'file:///t/lint.c';
    client.open(uri, 'c', '/* VF MSE lives in the PF */\nint a;\n/* set the MSE bit */\n');
    const d = await client.waitForDiagnostics(uri, 1);
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line, x.range.start.character]),
      [['mse-means-vf-mse', 2, 11]],
    );
    const clean = 'file:///t/clean.c';
    client.open(clean, 'c', '/* VF MSE lives in the PF (PCI_SRIOV_CTRL_MSE) */\n');
    assert.deepEqual(await client.waitForDiagnostics(clean, 1), []);
  });

  test('a C file whose memory-enabled predicate asks is_virtfn gets that lint on the return line', async () => {
    const uri = 'file:///t/vfio_pci_config.c';
    const text = [
      'bool __vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev)',
      '{',
      '\tstruct pci_dev *pdev = vdev->pdev;',
      '\tu16 cmd = le16_to_cpu(*(__le16 *)&vdev->vconfig[PCI_COMMAND]);',
      '',
      '\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
      '}',
      '',
    ].join('\n');
    client.open(uri, 'c', text);
    const lint = await client.waitFor('the is_virtfn lint', () =>
      client.diagnosticsOf(uri)?.find((d) => d.code === 'is-virtfn-for-command-memory'),
    );
    assert.equal(lint.range.start.line, 5);
    assert.equal(lint.source, 'vfio-lens');
  });

  test('a document over vfioLens.maxDocumentSize is not analysed and says so; an edit and a setting change update it', async () => {
    client.settings = { maxDocumentSize: 100 };
    client.rpc.sendNotification('workspace/didChangeConfiguration', {
      settings: { vfioLens: client.settings },
    });
    const uri = 'file:///t/big.patch';
    client.open(uri, 'diff', 'x\n'.repeat(10), 1);
    const small = await client.waitForDiagnostics(uri, 1);
    assert.equal(
      small.filter((d) => d.code === 'document-too-large').length,
      0,
      'a 20-byte document is under the limit',
    );
    client.change(uri, 2, 'x\n'.repeat(100));
    const big = await client.waitForDiagnostics(uri, 2);
    assert.equal(big.length, 1);
    assert.equal(big[0].code, 'document-too-large');
    assert.equal(big[0].severity, 3);
    assert.equal(big[0].source, 'vfio-lens');
    assert.deepEqual(big[0].range.start, { line: 0, character: 0 });
    assert.match(big[0].message as string, /200 bytes/);
    assert.match(big[0].message as string, /vfioLens\.maxDocumentSize/);

    const before = client.published.length;
    client.settings = { maxDocumentSize: 1000 };
    client.rpc.sendNotification('workspace/didChangeConfiguration', {
      settings: { vfioLens: client.settings },
    });
    const again = await client.waitFor('re-analysis after the setting changed', () =>
      client.published.slice(before).find((p) => p.uri === uri),
    );
    assert.equal(again.diagnostics.filter((d) => d.code === 'document-too-large').length, 0);
    client.settings = {};
    client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { vfioLens: {} } });
    client.close(uri);
  });

  test('a long analysis reports $/progress that ends', { skip: sharedMissing() }, async () => {
    const eager = await LspClient.start({ initializationOptions: { progressDelayMs: 0 } });
    try {
      const uri = 'file:///corpus/k13.mbox';
      eager.open(uri, 'patch-mail', readShared('corpus', 'real', 'k13_hv-pci-command-memory_thread.mbox'));
      await eager.waitForDiagnostics(uri, 1);
      const kinds = await eager.waitFor('the end of the progress', () => {
        const k = eager.progress.map((p) => p.value.kind);
        return k.includes('end') ? k : undefined;
      });
      assert.equal(kinds[kinds.length - 1], 'end');
      assert.ok(kinds.indexOf('begin') < kinds.indexOf('end'));
    } finally {
      await eager.stop();
    }
  });

  test('bad parameters get a clear JSON-RPC error and the server stays up', async () => {
    const bad: [string, unknown, RegExp][] = [
      [
        'vfioLens/simulate',
        { device: 'toaster', kernel: { kernel: 'v5.8' }, steps: 'open' },
        /device: expected one of pf, /,
      ],
      [
        'vfioLens/simulate',
        { device: 'vf', kernel: { kernel: 'v9' }, steps: 'open' },
        /kernel\.kernel: expected one of v3\.6, v4\.19, v5\.7/,
      ],
      ['vfioLens/simulate', { device: 'vf', kernel: { kernel: 'v5.8' } }, /steps: expected a step script/],
      [
        'vfioLens/compare',
        { a: { kernel: 'v5.8' }, b: { uri: 'file:///nowhere', side: 'after' } },
        /b\.uri: file:\/\/\/nowhere is not an open document/,
      ],
      [
        'vfioLens/compare',
        { a: { kernel: 'v5.8' }, b: { kernel: 'v5.10' }, depth: -1 },
        /depth: expected a whole number/,
      ],
      ['vfioLens/explain', { uri: 'file:///x' }, /position: expected \{ line, character \}/],
      ['vfioLens/summary', 42, /params must be an object/],
      ['vfioLens/matrix', { kernels: 'all' }, /kernels: expected an array/],
    ];
    for (const [method, params, message] of bad) {
      await assert.rejects(client.request(method, params), (e: { code: number; message: string }) => {
        assert.equal(e.code, -32602, `${method} ${JSON.stringify(params)}: ${e.message}`);
        assert.match(e.message, message);
        return true;
      });
    }
    await assert.rejects(
      client.request('vfioLens/noSuchThing', {}),
      (e: { code: number }) => e.code === -32601,
    );
    const h = await client.request('textDocument/hover', {
      textDocument: { uri: 'file:///not-open' },
      position: { line: 0, character: 0 },
    });
    assert.equal(h, null);
    assert.ok(client.alive);
  });

  test('a cancelled request is answered as cancelled', async () => {
    // Edits wait for a (here: very long) debounce, so a request about the edited document is
    // still waiting for its analysis when the cancellation arrives, whatever the timing.
    const slow = await LspClient.start({ initializationOptions: { debounceMs: 3_600_000 } });
    try {
      const uri = 'file:///t/waiting.patch';
      slow.open(uri, 'diff', '--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n');
      await slow.waitForDiagnostics(uri, 1);
      slow.change(uri, 2, '--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+c\n');
      const source = new CancellationTokenSource();
      const pending = slow.rpc.sendRequest('vfioLens/summary', { uri }, source.token);
      source.cancel();
      await assert.rejects(pending, (e: { code: number }) => {
        assert.equal(e.code, -32800);
        return true;
      });
      assert.ok(slow.alive);
    } finally {
      await slow.stop();
    }
  });
});
