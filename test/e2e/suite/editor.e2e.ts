/**
 * What a reviewer meets in the editor in the first minute (issue 14): the Explain view rendered, lenses
 * only where a patch changes behaviour (the cover letter's simulates the series), the outline, the
 * status bar's baseline, tabs of 8, "Open as Patch mail" for a thread opened as plain text.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  DocumentStatusRequest,
  type DocumentStatus,
  type ExplainResult,
} from '../../../server/src/lsp/protocol';
import {
  QUIET_FILE,
  SEED_FILE,
  THREAD_FILE,
  api,
  openAndWaitForDiagnostics,
  poll,
  workspaceFile,
} from './support';

const lensesOf = (uri: vscode.Uri) =>
  vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);

/** The server's status of an open document, once it has analysed it. */
async function analysed(doc: vscode.TextDocument): Promise<DocumentStatus> {
  const server = (await api()).server;
  return poll(`the analysis of ${doc.uri.path}`, async () => {
    const s = await server.request(DocumentStatusRequest, { uri: doc.uri.toString() }).catch(() => undefined);
    return s && s.state !== 'failed' && s.version === doc.version ? s : undefined;
  });
}

describe('the editor: Explain, lenses, outline, status bar', function () {
  let thread: vscode.TextDocument;
  let lines: string[] = [];

  before(async function () {
    thread = (await openAndWaitForDiagnostics(THREAD_FILE)).doc;
    lines = thread.getText().split('\n');
  });

  it('Explain opens its explanation rendered beside the editor, not as Markdown source', async () => {
    const lens = await poll('an Explain lens on the thread', async () =>
      (await lensesOf(thread.uri)).find((l) => l.command?.command === 'vfioLens.explain'),
    );
    const args = lens.command!.arguments![0] as {
      uri: string;
      position: { line: number; character: number };
    };
    const decision = args.position.line;
    const result = await vscode.commands.executeCommand<ExplainResult & { html?: string }>(
      'vfioLens.explain',
      args,
    );
    assert.ok(result.markdown, `an explanation at line ${decision + 1}`);
    const html = result.html ?? '';
    assert.match(html, /<code>/, 'code spans rendered');
    assert.doesNotMatch(html, /```|^\|.*\|$/m, 'no Markdown source left');
    assert.doesNotMatch(html, /<script/);
    const tab = await poll('the Explain view', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find(
          (t) =>
            t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('vfioLens.explanation'),
        ),
    );
    assert.match(tab.label, /^Explain /);
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.toString(),
      thread.uri.toString(),
      'the editor keeps the focus',
    );
  });

  it('Explain in commit-message prose says there is no decision at the cursor', async () => {
    const prose = lines.findIndex((l) => /^This patch|^Rather than|^Use /.test(l));
    assert.ok(prose > 0);
    const result = await vscode.commands.executeCommand<ExplainResult>('vfioLens.explain', {
      uri: thread.uri.toString(),
      position: { line: prose, character: 2 },
    });
    assert.equal(result.markdown, null);
    assert.equal(result.reason, 'no vfio decision at the cursor');
  });

  it("lenses sit on Subject lines and say what they show; the cover letter's simulates the series", async () => {
    const lenses = await poll('lenses on the thread', async () => {
      const l = await lensesOf(thread.uri);
      return l.some((x) => x.command?.command === 'vfioLens.simulate') ? l : undefined;
    });
    const simulate = lenses.filter((l) => l.command?.command === 'vfioLens.simulate');
    for (const l of simulate) assert.match(lines[l.range.start.line], /^Subject: /, l.command!.title);
    assert.ok(!simulate.some((l) => /^From /.test(lines[l.range.start.line])), 'none on the mbox From line');
    const cover = simulate.find((l) => /\[PATCH v4 0\/3\]/.test(lines[l.range.start.line]));
    assert.match(
      cover?.command?.title ?? '',
      /^Simulate the series \(before 1\/3, after 3\/3\): .*s390-vf-detached.* change$/,
    );
    const run = await vscode.commands.executeCommand<{
      labels: [string, string | null];
      rendered?: { view: string; differing: number };
    }>('vfioLens.simulate', cover!.command!.arguments![0]);
    assert.equal(run.rendered?.view, 'trace');
    assert.ok(
      (run.rendered?.differing ?? 0) > 0,
      `the series changes the case the lens names (${run.labels.join(' / ')})`,
    );
    assert.match(run.labels[0], /^before \[PATCH v4 1\/3\] PCI\/IOV: /);
    assert.match(run.labels[1] ?? '', /^after \[PATCH v4 3\/3\] vfio\/pci: /);
    const explain = lenses.filter((l) => l.command?.command === 'vfioLens.explain');
    assert.ok(
      explain.length > 0 && explain.every((l) => /^Explain [a-z-]+$/.test(l.command!.title)),
      explain.map((l) => l.command!.title).join(' | '),
    );
  });

  it('a patch without vfio content gets no lens', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(QUIET_FILE));
    await vscode.window.showTextDocument(doc);
    const status = await analysed(doc);
    assert.equal(status.state, 'analysed');
    assert.deepEqual(
      (await lensesOf(doc.uri)).map((l) => l.command?.title),
      [],
    );
  });

  it('the outline lists each message, its files and their hunks', async () => {
    const symbols = await poll('document symbols', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        thread.uri,
      );
      return s?.length ? s : undefined;
    });
    assert.deepEqual(
      symbols.map((s) => /\[PATCH v4 \d\/3\]/.exec(s.name)?.[0]),
      ['[PATCH v4 0/3]', '[PATCH v4 1/3]', '[PATCH v4 2/3]', '[PATCH v4 3/3]'],
    );
    const files = symbols[3].children;
    assert.deepEqual(
      files.map((f) => f.name),
      ['drivers/vfio/pci/vfio_pci_config.c'],
    );
    assert.ok(files[0].children.length >= 3 && files[0].children.every((h) => h.name.startsWith('@@ ')));
  });

  it('the status bar shows the baseline of the active document; patch mail has tabs of 8', async () => {
    const editor = await vscode.window.showTextDocument(thread);
    const status = await analysed(thread);
    const bar = (await api()).statusBar;
    const shown = await poll('the baseline in the status bar', () => {
      const t = bar.text.baseline;
      return t?.startsWith('vfio-lens: ') ? t : undefined;
    });
    assert.equal(shown, `vfio-lens: ${status.baseline?.kernel ?? 'no baseline'} (${status.baseline?.how})`);
    assert.equal(editor.options.tabSize, 8);
  });

  it('a thread opened as plain text is offered "Open as Patch mail", and the command does it', async () => {
    const copy = workspaceFile('seed-as-text.txt');
    await vscode.workspace.fs.copy(workspaceFile(SEED_FILE), copy, { overwrite: true });
    const doc = await vscode.workspace.openTextDocument(copy);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'plaintext');
    const lens = await poll('the "Open as Patch mail" lens', async () =>
      (await lensesOf(doc.uri)).find((l) => l.command?.command === 'vfioLens.openAsPatchMail'),
    );
    assert.equal(lens.range.start.line, 0);
    const language = await vscode.commands.executeCommand<string>(
      'vfioLens.openAsPatchMail',
      ...lens.command!.arguments!,
    );
    assert.equal(language, 'patch-mail');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
