/**
 * Measurements inside the extension host for test/bench/vscode.bench.ts (not a test): the
 * extension's activation time, and the time from opening the seed series to vfio-lens diagnostics
 * in the editor, on the first open, for the next patch opened in that window, and after server
 * restarts. Writes JSON to VFIO_LENS_BENCH_OUT.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { SEED_FILE, api, poll, vfioDiagnostics, workspaceFile } from '../suite/support';

/**
 * From `open` to the first change of the document's diagnostics that holds vfio-lens ones, as VS
 * Code reports it (onDidChangeDiagnostics: not a poll, whose intervals would be measured too).
 */
async function timeToDiagnostics(
  open: () => Thenable<unknown>,
  uri: vscode.Uri,
): Promise<{ total: number; afterShown: number }> {
  const key = uri.toString();
  let arrived: number | undefined;
  const listener = vscode.languages.onDidChangeDiagnostics((e) => {
    if (arrived === undefined && e.uris.some((u) => u.toString() === key) && vfioDiagnostics(uri).length > 0)
      arrived = performance.now();
  });
  try {
    const t0 = performance.now();
    await open();
    const shown = performance.now();
    // the bound on a hang; a document that had them already (none here) counts from now
    await poll('vfio-lens diagnostics', () => (vfioDiagnostics(uri).length > 0 ? true : undefined), 120000);
    const at = arrived ?? performance.now();
    // what a reviewer waits for once the patch is on screen (0: they were there before it showed)
    return { total: at - t0, afterShown: Math.max(0, at - shown) };
  } finally {
    listener.dispose();
  }
}

const openInEditor = (uri: vscode.Uri) => async () =>
  vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
    preview: false,
    viewColumn: vscode.ViewColumn.Beside,
  });

/** The second patch the bench opens (vscode.bench.ts copies corpus k02 there). */
const NEXT_FILE = 'k02.eml';

export async function run(): Promise<void> {
  const out = process.env.VFIO_LENS_BENCH_OUT;
  if (!out) throw new Error('VFIO_LENS_BENCH_OUT is not set');
  const uri = workspaceFile(SEED_FILE);
  const ext = vscode.extensions.getExtension('vfio-lens.vfio-lens');
  if (!ext) throw new Error('vfio-lens is not installed');
  const wasActive = ext.isActive;
  const firstOpen = await timeToDiagnostics(openInEditor(uri), uri);
  const activationMs = await (await api()).activationMs;
  const activateReturnMs = (await api()).activateReturnMs;
  const firstStart = { ...(await api()).server.firstStart };
  const afterRestart: number[] = [];
  for (let i = 0; i < 3; i++) {
    afterRestart.push(
      (await timeToDiagnostics(() => vscode.commands.executeCommand('vfioLens.restartServer'), uri)).total,
    );
  }
  const diagnostics = vfioDiagnostics(uri).length;
  // the next patch opened in this window, the server and its analysis process running (beside the
  // seed, not in its preview tab: the seed stays open)
  const next = workspaceFile(NEXT_FILE);
  const nextOpen = await timeToDiagnostics(openInEditor(next), next);
  // the seed series again, as a reviewer comes back to it: every editor closed (the language client
  // drops a document's pulled diagnostics with its tab; VS Code may keep the document open for the
  // server), then opened in the window
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const closedSeen = await poll(
    'the closed documents',
    () => (vfioDiagnostics(uri).length === 0 && vfioDiagnostics(next).length === 0 ? true : undefined),
    30000,
  ).catch(() => false);
  const againOpen = closedSeen ? await timeToDiagnostics(openInEditor(uri), uri) : undefined;
  fs.writeFileSync(
    out,
    JSON.stringify({
      wasActive,
      activationMs,
      activateReturnMs,
      firstStart,
      firstOpen,
      nextOpen,
      againOpen,
      afterRestart,
      diagnostics,
    }),
  );
}
