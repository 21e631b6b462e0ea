/**
 * The language server in process: createServer on a mocked connection, its handlers called as a
 * client would call them (the analysis runs in this process). Beside the stdio suite of
 * test/protocol, which starts the real server program.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover, InlayHint } from 'vscode-languageserver';
import { simulateScript } from '../../../server/src/analysis/modelRuns';
import { simulationFacade } from '../../../server/src/lsp/facade';
import type {
  ExplainResult,
  SimulateResult,
  SummaryResult,
  VocabularyResult,
} from '../../../server/src/lsp/protocol';
import { createServer, type VfioLensServer } from '../../../server/src/lsp/server';
import { DEVICE_KIND_IDS, KERNEL_IDS } from '../../../server/src/model/index';
import { projectRoot } from '../../support/shared';
import { MockConnection } from './mockConnection';

const SAMPLE = path.join(projectRoot, 'samples', 'sample-series.mbox');
const URI = 'file:///work/sample-series.mbox';
/** The changed return line of the sample's memory-enabled predicate (0-based). */
const RETURN_LINE = fs
  .readFileSync(SAMPLE, 'utf8')
  .split('\n')
  .findIndex((l) => /^\+\s*return pdev->no_command_memory/.test(l));

describe('the server in process, on a mocked connection', () => {
  const mock = new MockConnection();
  let server: VfioLensServer;
  const latest = () => mock.published.filter((p) => p.uri === URI).at(-1);

  before(async () => {
    server = createServer(mock.connection, { facade: simulationFacade() });
    const init = await mock.call<{ capabilities: Record<string, unknown> }>('onInitialize', {
      processId: null,
      rootUri: null,
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { debounceMs: 0 },
    });
    assert.equal(init.capabilities.hoverProvider, true);
    await mock.call('onInitialized', {});
    await mock.call('onDidOpenTextDocument', {
      textDocument: { uri: URI, languageId: 'patch-mail', version: 1, text: fs.readFileSync(SAMPLE, 'utf8') },
    });
    await mock.until(() => (latest()?.diagnostics.length ? latest() : undefined), 'the first diagnostics');
  });

  after(() => server.dispose());

  test('an opened patch mail gets its diagnostics pushed, behaviour changes among them', () => {
    const codes = latest()!.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('behaviour-change'), codes.join(', '));
    assert.ok(RETURN_LINE > 0);
  });

  test('every custom request is registered through the one table', () => {
    for (const method of [
      'simulate',
      'compare',
      'matrix',
      'explain',
      'summary',
      'states',
      'vocabulary',
      'stats',
    ]) {
      assert.ok(mock.handlers.has(`request:vfioLens/${method}`), method);
    }
  });

  test('vfioLens/vocabulary: the model, its kernels and device kinds as the model tables have them', async () => {
    const { models } = await mock.request<VocabularyResult>('vfioLens/vocabulary', null);
    assert.equal(models[0].id, 'vfio-pci');
    assert.deepEqual(
      models[0].variants.map((k) => k.id),
      [...KERNEL_IDS],
    );
    assert.deepEqual(
      models[0].devices.map((d) => d.id),
      [...DEVICE_KIND_IDS],
    );
    assert.ok(models[0].presets.every((p) => p.steps.length > 0 && p.steps[0] === 'open'));
    assert.ok(
      KERNEL_IDS.includes(models[0].defaults.a as never) &&
        KERNEL_IDS.includes(models[0].defaults.b as never),
    );
  });

  test('vfioLens/simulate answers what the facade answers; a patch side resolves to the open document', async () => {
    const steps = 'open; mmio-read';
    const named = await mock.request<SimulateResult>('vfioLens/simulate', {
      device: 's390-vf-detached',
      kernel: { kernel: 'v5.8' },
      steps,
    });
    assert.deepEqual(named, simulateScript('s390-vf-detached', 'v5.8', steps));
    const before = await mock.request<SimulateResult>('vfioLens/simulate', {
      device: 's390-vf-detached',
      kernel: { uri: URI, side: 'before' },
      steps,
    });
    const afterIt = await mock.request<SimulateResult>('vfioLens/simulate', {
      device: 's390-vf-detached',
      kernel: { uri: URI, side: 'after' },
      steps,
    });
    assert.equal(before.trace[1].outcome, 'EIO');
    assert.equal(afterIt.trace[1].outcome, 'ok');
    assert.match(afterIt.trace[1].why[0].text, /\(1\)/, 'the why carries the operands\u2019 values');
  });

  test('a bad parameter is an InvalidParams error naming the field', async () => {
    await assert.rejects(
      mock.request('vfioLens/simulate', { device: 'gpu', kernel: { kernel: 'v5.8' }, steps: 'open' }),
      (e: { code: number; message: string }) =>
        e.code === -32602 && /^device: expected one of pf, /.test(e.message),
    );
    await assert.rejects(
      mock.request('vfioLens/simulate', { device: 'vf', kernel: { kernel: 'v9' }, steps: 'open' }),
      (e: { code: number; message: string }) =>
        e.code === -32602 && /^kernel\.kernel: expected one of v3\.6, v4\.19, v5\.7/.test(e.message),
    );
  });

  test('hover and Explain on the changed decision give both sides\u2019 why with the operands\u2019 values', async () => {
    const hover = await mock.call<Hover>('request:textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: RETURN_LINE, character: 3 },
    });
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /Why, for s390-vf-detached: open; mmio-read/);
    assert.match(
      text,
      /- before: `memory-enabled` = 0: `pdev->is_virtfn \(0\) \|\| \(cmd & PCI_COMMAND_MEMORY\) \(0\)`/,
    );
    assert.match(
      text,
      /- after: `memory-enabled` = 1: `pdev->no_command_memory \(1\) \|\| \(cmd & PCI_COMMAND_MEMORY\)`/,
    );
    const explained = await mock.request<ExplainResult>('vfioLens/explain', {
      uri: URI,
      position: { line: RETURN_LINE, character: 0 },
    });
    assert.equal(explained.decision, 'memory-enabled');
    assert.match(explained.markdown ?? '', /`pdev->no_command_memory` = 1: set by /);
  });

  test('a severity setting is applied to every feature, from the analysis the server has', async () => {
    const summaryBefore = await mock.request<SummaryResult>('vfioLens/summary', { uri: URI });
    assert.match(summaryBefore.text, /s390-vf-detached: open; /);
    const hints = () =>
      mock.call<InlayHint[]>('request:textDocument/inlayHint', {
        textDocument: { uri: URI },
        range: { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } },
      });
    assert.ok((await hints()).length > 0);
    const publishedBefore = mock.published.length;
    mock.settings = { severity: { 'behaviour-change': 'off', lint: 'error' } };
    await mock.call('onDidChangeConfiguration', { settings: { vfioLens: mock.settings } });
    const republished = await mock.until(
      () => (mock.published.length > publishedBefore ? latest() : undefined),
      'the diagnostics published again',
    );
    assert.ok(!republished.diagnostics.some((d) => d.code === 'behaviour-change'));
    const lint = republished.diagnostics.find((d) => d.code === 'restore-on-unimplemented-enable');
    // the restore lint of the sample is pre-existing: one below what the setting says (error)
    assert.equal(lint?.severity, 2, 'a pre-existing lint shown one below error');
    assert.deepEqual(await hints(), [], 'no inlay hint of a finding that is off');
    const summary = await mock.request<SummaryResult>('vfioLens/summary', { uri: URI });
    assert.doesNotMatch(summary.text, /s390-vf-detached: open; /);
  });
});
