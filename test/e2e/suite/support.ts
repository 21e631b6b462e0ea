/** Helpers of the extension-host suite: the test workspace, polling, the extension's API. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VfioLensApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'vfio-lens.vfio-lens';
export const SEED_FILE = process.env.VFIO_LENS_E2E_SEED ?? 'seed-002.txt';
export const THREAD_FILE = process.env.VFIO_LENS_E2E_THREAD ?? 'k05-series.mbox';
/** A patch without vfio content (workspace.mjs copies it). */
export const QUIET_FILE = 'n04-quiet.eml';

export const FINDING_CODES = [
  'behaviour-change',
  'marker-defined',
  'marker-set',
  'unmodeled-change',
  'bisect-marker-undefined',
  'read-problem',
  'is-virtfn-for-command-memory',
  'dev-flags-bit-collision',
  'mse-means-vf-mse',
  'is-virtfn-without-physfn',
  'restore-on-unimplemented-enable',
];

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder (run.mjs copies the inputs into one)');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

/** Polls `probe` until it returns a value that is not undefined; never sleeps a fixed time for a result. */
export async function poll<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 90000,
): Promise<T> {
  const started = Date.now();
  let delay = 50;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}

export async function api(): Promise<VfioLensApi> {
  const ext = vscode.extensions.getExtension<VfioLensApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

export function vfioDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'vfio-lens');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Opens a document and waits until the server has published vfio-lens diagnostics for it. */
export async function openAndWaitForDiagnostics(
  name: string,
): Promise<{ doc: vscode.TextDocument; diagnostics: vscode.Diagnostic[] }> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc);
  const diagnostics = await poll(`vfio-lens diagnostics on ${name}`, () => {
    const d = vfioDiagnostics(doc.uri);
    return d.length > 0 ? d : undefined;
  });
  return { doc, diagnostics };
}

export function positionOf(doc: vscode.TextDocument, needle: string | RegExp, from = 0): vscode.Position {
  const text = doc.getText();
  const index =
    typeof needle === 'string' ? text.indexOf(needle, from) : text.slice(from).search(needle) + from;
  if (index < from) throw new Error(`${String(needle)} not found in ${doc.uri.fsPath}`);
  return doc.positionAt(index);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n');
}
