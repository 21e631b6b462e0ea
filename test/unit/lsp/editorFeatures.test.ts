/**
 * What an editor shows of a patch beside the diagnostics, from the server on a mocked connection:
 * lenses that say what they show and sit on the Subject line (the series' on a cover letter, none
 * on a patch without behaviour changes), Explain only at the cursor, the outline (message -> file
 * -> hunk), folding of header blocks, and the document status the status bar shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CodeLens, DocumentSymbol, FoldingRange } from 'vscode-languageserver';
import { simulationFacade } from '../../../server/src/lsp/facade';
import type { DocumentStatus, ExplainResult, SimulateResult } from '../../../server/src/lsp/protocol';
import { createServer, type VfioLensServer } from '../../../server/src/lsp/server';
import { readShared, sharedMissing } from '../../support/shared';
import { MockConnection } from './mockConnection';

const skip = sharedMissing();
const SERIES = 'file:///work/k05-series.mbox';
const QUIET = 'file:///work/n04-stable.eml';
const THREAD_TXT = 'file:///work/seed-002.txt';

describe('editor features of a patch series', { skip }, () => {
  const mock = new MockConnection();
  let server: VfioLensServer;
  let series: string[] = [];

  const open = async (uri: string, languageId: string, text: string) => {
    await mock.call('onDidOpenTextDocument', { textDocument: { uri, languageId, version: 1, text } });
    return mock.request<DocumentStatus>('vfioLens/documentStatus', { uri });
  };
  const lenses = (uri: string) =>
    mock.call<CodeLens[]>('request:textDocument/codeLens', { textDocument: { uri } });

  before(async () => {
    server = createServer(mock.connection, { facade: simulationFacade() });
    await mock.call('onInitialize', {
      processId: null,
      rootUri: null,
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { debounceMs: 0 },
    });
    await mock.call('onInitialized', {});
    const text = readShared('corpus', 'real', 'k05_mse-bit-v4_series.mbox');
    series = text.split('\n');
    await open(SERIES, 'patch-mail', text);
  });

  after(() => server.dispose());

  test('the document status: baseline detected, patches and findings by severity; a log line says the same', async () => {
    const s = await mock.request<DocumentStatus>('vfioLens/documentStatus', { uri: SERIES });
    assert.equal(s.state, 'analysed');
    assert.deepEqual(s.baseline && { kernel: s.baseline.kernel, how: s.baseline.how }, {
      kernel: 'v5.8',
      how: 'detected',
    });
    assert.equal(s.patches, 4);
    // the devices the lens names, as the Simulate picker lists them first
    assert.deepEqual(s.changedDevices.slice(0, 2), ['s390-vf-detached', 's390-vf-noiov']);
    assert.ok(s.findings.information >= 1, JSON.stringify(s.findings));
    const logged = mock.logged.find((l) => l.startsWith('analysed k05-series.mbox (version 1)'));
    assert.match(
      logged ?? '',
      /: baseline v5\.8 \(detected\), 4 patches, \d+ findings \((\d+ warnings?, )?\d+ information/,
    );
    await assert.rejects(
      mock.request('vfioLens/documentStatus', { uri: 'file:///nope' }),
      /not an open document/,
    );
  });

  test('the document status names its patch sides as a reviewer does, and each name simulates its side', async () => {
    const s = await mock.request<DocumentStatus>('vfioLens/documentStatus', { uri: SERIES });
    const sides = s.sides ?? [];
    // the whole series (before 1/3, after 3/3), then 1/3, 2/3, 3/3 by the patches' own indexes
    assert.deepEqual(
      sides.map((x) => x.patch),
      [undefined, 1, 2, 3],
    );
    assert.match(sides[0].before, /^before \[PATCH v4 1\/3\] PCI\/IOV: /);
    assert.match(sides[0].after, /^after \[PATCH v4 3\/3\] vfio\/pci: /);
    assert.match(sides[2].after, /^after \[PATCH v4 2\/3\] s390\/pci: /);
    for (const x of sides) assert.doesNotMatch(x.before + x.after, /#\d|v5\.8\+\d/);
    // the ids are the KernelRefs of before: the series' after and 3/3's after are one kernel
    const mmio = async (patch?: number) =>
      (
        await mock.request<SimulateResult>('vfioLens/simulate', {
          device: 's390-vf-detached',
          kernel: { uri: SERIES, ...(patch === undefined ? {} : { patch }), side: 'after' },
          steps: 'open; mmio-read',
        })
      ).trace[1].outcome;
    assert.equal(await mmio(), 'ok');
    assert.equal(await mmio(3), 'ok');
    assert.equal(await mmio(1), 'EIO');
  });

  test('Simulate lenses sit on Subject lines and name the devices that change; the cover letter simulates the series', async () => {
    const simulate = (await lenses(SERIES)).filter((l) => l.command?.command === 'vfioLens.simulate');
    for (const l of simulate) assert.match(series[l.range.start.line], /^Subject: /, l.command!.title);
    const cover = simulate.find((l) => /\[PATCH v4 0\/3\]/.test(series[l.range.start.line]));
    assert.ok(cover, 'a lens on the cover letter');
    assert.match(
      cover.command!.title,
      /^Simulate the series \(before 1\/3, after 3\/3\): s390-vf-detached, s390-vf-noiov change$/,
    );
    const coverArgs = cover.command!.arguments![0] as {
      uri: string;
      patch?: number;
      device: string;
      steps: string;
    };
    assert.equal(coverArgs.patch, undefined, 'no patch: the series, before 1/3 against after 3/3');
    const last = simulate.find((l) => /\[PATCH v4 3\/3\]/.test(series[l.range.start.line]));
    assert.match(last?.command?.title ?? '', /^Simulate: s390-vf-detached, s390-vf-noiov change$/);
    // patches 1/3 and 2/3 only set a marker nothing reads yet: no behaviour change, no lens
    assert.equal(simulate.length, 2, simulate.map((l) => l.command!.title).join(' | '));
    // the series' before and after, for the case the lens names: the change the series makes
    const side = (s: 'before' | 'after') =>
      mock.request<SimulateResult>('vfioLens/simulate', {
        device: coverArgs.device,
        kernel: { uri: SERIES, side: s },
        steps: coverArgs.steps,
      });
    const [b, a] = [await side('before'), await side('after')];
    assert.notDeepEqual(
      b.trace.map((e) => e.display.text),
      a.trace.map((e) => e.display.text),
      `${coverArgs.device}: ${coverArgs.steps} differs between before 1/3 and after 3/3`,
    );
  });

  test('Explain lenses name their decision and point at its changed line', async () => {
    const explain = (await lenses(SERIES)).filter((l) => l.command?.command === 'vfioLens.explain');
    assert.ok(explain.length >= 3);
    for (const l of explain) {
      assert.match(series[l.range.start.line], /^@@ /);
      const [args] = l.command!.arguments as [{ position: { line: number } }];
      const r = await mock.request<ExplainResult>('vfioLens/explain', {
        uri: SERIES,
        position: args.position,
      });
      assert.equal(`Explain ${r.decision}`, l.command!.title);
    }
  });

  test('Explain in commit-message prose says there is no decision at the cursor', async () => {
    const prose = series.findIndex((l) => /^This patch|^Rather than|^Use /.test(l));
    assert.ok(prose > 0);
    const r = await mock.request<ExplainResult>('vfioLens/explain', {
      uri: SERIES,
      position: { line: prose, character: 2 },
    });
    assert.deepEqual(r, { markdown: null, reason: 'no vfio decision at the cursor' });
  });

  test('code actions only on the lines of findings', async () => {
    const actions = (line: number) =>
      mock.call<CodeAction[]>('request:textDocument/codeAction', {
        textDocument: { uri: SERIES },
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        context: { diagnostics: [] },
      });
    assert.deepEqual(await actions(2), []);
    const decisionLine = series.findIndex((l) =>
      /^\+\s*return \(pdev->dev_flags & PCI_DEV_FLAGS_FORCE_COMMAND_MEM\)/.test(l),
    );
    assert.ok(decisionLine > 0);
    const titles = (await actions(decisionLine)).map((a) => a.title);
    assert.ok(
      titles.some((t) => /^Simulate s390-vf-detached: open; .* \(.* \u2192 .*\)$/.test(t)),
      titles.join(' | '),
    );
    assert.ok(titles.includes('Copy behaviour summary as reply'));
  });

  test('the outline: message -> file -> hunk, named by subject, path and @@ line with the function', async () => {
    const symbols = await mock.call<DocumentSymbol[]>('request:textDocument/documentSymbol', {
      textDocument: { uri: SERIES },
    });
    assert.deepEqual(
      symbols.map((s) => s.name.replace(/\s+/g, ' ').slice(0, 16)),
      ['[PATCH v4 0/3] v', '[PATCH v4 1/3] P', '[PATCH v4 2/3] s', '[PATCH v4 3/3] v'],
    );
    const third = symbols[3];
    assert.deepEqual(
      third.children?.map((f) => f.name),
      ['drivers/vfio/pci/vfio_pci_config.c'],
    );
    const hunks = third.children![0].children!;
    assert.ok(hunks.length >= 3);
    assert.ok(hunks.every((h) => /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@$/.test(h.name)));
    assert.ok(hunks.some((h) => /vfio_basic_config_write/.test(h.detail ?? '')));
    const inside = (outer: DocumentSymbol, inner: DocumentSymbol) =>
      outer.range.start.line <= inner.range.start.line && inner.range.end.line <= outer.range.end.line;
    for (const m of symbols) {
      assert.ok(inside(m, { ...m, range: m.selectionRange }));
      for (const f of m.children ?? []) {
        assert.ok(inside(m, f), `${f.name} inside ${m.name}`);
        for (const h of f.children ?? []) assert.ok(inside(f, h));
      }
    }
  });

  test('folding: every header block, file diff and hunk', async () => {
    const ranges = await mock.call<FoldingRange[]>('request:textDocument/foldingRange', {
      textDocument: { uri: SERIES },
    });
    const starts = new Set(ranges.map((r) => r.startLine));
    series.forEach((l, i) => {
      if (/^From \S+ +\w{3} \w{3} /.test(l)) assert.ok(starts.has(i), `the header block at line ${i + 1}`);
      if (/^@@ /.test(l)) assert.ok(starts.has(i), `the hunk at line ${i + 1}`);
    });
    const header = ranges.find((r) => r.startLine === 0)!;
    assert.equal(series[header.endLine + 1].trim(), '', 'a header block folds up to its blank line');
    assert.ok(ranges.every((r) => r.endLine > r.startLine && r.endLine < series.length));
  });

  test('a patch without behaviour changes gets no lens and no code action', async () => {
    const text = readShared('corpus', 'real', 'n04_stable-tree-added-mlx5-mpfs.eml');
    await open(QUIET, 'patch-mail', text);
    assert.deepEqual(await lenses(QUIET), []);
    const lines = text.split('\n').length;
    const actions = await mock.call<CodeAction[]>('request:textDocument/codeAction', {
      textDocument: { uri: QUIET },
      range: { start: { line: 0, character: 0 }, end: { line: lines - 1, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
  });

  test('a mail thread opened as plain text is offered "Open as Patch mail"', async () => {
    const seed = readShared('seeds', '002_4b73f9f607840218.txt');
    const status = await open(THREAD_TXT, 'plaintext', seed);
    assert.equal(status.state, 'analysed');
    const first = (await lenses(THREAD_TXT)).filter((l) => l.range.start.line === 0);
    assert.ok(first.some((l) => l.command?.command === 'vfioLens.openAsPatchMail'));
    assert.ok(!(await lenses(SERIES)).some((l) => l.command?.command === 'vfioLens.openAsPatchMail'));
  });

  test("every symbol's range holds its selection, in a web-archive thread and a series (VS Code refuses others)", async () => {
    const at = (p: { line: number; character: number }) => p.line * 1e6 + p.character;
    const check = (list: DocumentSymbol[], where: string): number =>
      list.reduce((n, s) => {
        assert.ok(
          at(s.range.start) <= at(s.selectionRange.start) && at(s.selectionRange.end) <= at(s.range.end),
          `${where}: ${s.name} ${JSON.stringify(s.range)} holds ${JSON.stringify(s.selectionRange)}`,
        );
        return n + 1 + check(s.children ?? [], where);
      }, 0);
    for (const uri of [THREAD_TXT, SERIES]) {
      const symbols = await mock.call<DocumentSymbol[]>('request:textDocument/documentSymbol', {
        textDocument: { uri },
      });
      assert.ok(check(symbols, uri) > 3, uri);
    }
  });
});
