/** Argument objects of the commands (from tests, keybindings, code lenses): checked, never trusted. */
import * as vscode from 'vscode';

export type Args = Record<string, unknown>;

export function asArgs(v: unknown, command: string): Args {
  if (v === undefined || v === null) return {};
  if (typeof v === 'object' && !Array.isArray(v)) return v as Args;
  throw new Error(`${command}: the argument must be an object, got ${JSON.stringify(v)?.slice(0, 60)}`);
}

export function uriArg(v: unknown, what: string): vscode.Uri {
  if (v instanceof vscode.Uri) return v;
  if (typeof v === 'string' && v.length > 0) return vscode.Uri.parse(v, true);
  throw new Error(`${what} must be a document URI`);
}

export function patchIndexArg(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (Number.isInteger(v) && (v as number) >= 0) return v as number;
  throw new Error(`${what} must be a patch index (0, 1, ...)`);
}

/** Runs a command body; a bad argument or a failed request is shown to the user and rethrown. */
export async function reporting<T>(command: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`vfio-lens: ${message}`);
    throw e instanceof Error ? e : new Error(message);
  }
}
