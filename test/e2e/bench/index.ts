/**
 * Measurements inside the extension host for test/bench/vscode.bench.ts (not a test): the
 * extension's activation time, and the time from opening the seed series to vfio-lens diagnostics
 * in the editor, on the first open and after server restarts. Writes JSON to VFIO_LENS_BENCH_OUT.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { SEED_FILE, api, poll, vfioDiagnostics, workspaceFile } from '../suite/support';

async function timeToDiagnostics(open: () => Thenable<unknown>, uri: vscode.Uri): Promise<number> {
  const t0 = performance.now();
  await open();
  await poll('vfio-lens diagnostics', () => (vfioDiagnostics(uri).length > 0 ? true : undefined), 120000);
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  const out = process.env.VFIO_LENS_BENCH_OUT;
  if (!out) throw new Error('VFIO_LENS_BENCH_OUT is not set');
  const uri = workspaceFile(SEED_FILE);
  const ext = vscode.extensions.getExtension('vfio-lens.vfio-lens');
  if (!ext) throw new Error('vfio-lens is not installed');
  const wasActive = ext.isActive;
  const firstOpen = await timeToDiagnostics(async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  }, uri);
  const activationMs = await (await api()).activationMs;
  const activateReturnMs = (await api()).activateReturnMs;
  const afterRestart: number[] = [];
  for (let i = 0; i < 3; i++) {
    afterRestart.push(
      await timeToDiagnostics(() => vscode.commands.executeCommand('vfioLens.restartServer'), uri),
    );
  }
  const diagnostics = vfioDiagnostics(uri).length;
  fs.writeFileSync(
    out,
    JSON.stringify({ wasActive, activationMs, activateReturnMs, firstOpen, afterRestart, diagnostics }),
  );
}
