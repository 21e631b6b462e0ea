/**
 * What the client drivers share: the `vfio-lens` command on PATH (as docs/lsp-clients.md asks, a
 * shim to dist/cli.js), the setups docs/lsp-clients.md documents (each driver runs the documented
 * block itself, not a copy), and the rule for a client that is not installed: a skip with its
 * reason, except under CI=true, where it is a failure.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../support/shared';

export { projectRoot };
/** The CLI behind `vfio-lens`: dist/cli.js (npm test builds it), or VFIO_LENS_CLI for another build. */
export const cliPath = process.env.VFIO_LENS_CLI ?? path.join(projectRoot, 'dist', 'cli.js');
export const sampleSeries = path.join(projectRoot, 'samples', 'sample-series.mbox');
export const clientsDir = path.join(projectRoot, 'test', 'clients');

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vfio-lens-${prefix}-`));
  made.push(dir);
  return dir;
}

let binDir: string | undefined;

/** A directory holding an executable `vfio-lens` that runs this checkout's dist/cli.js. */
export function cliOnPath(): string {
  if (binDir) return binDir;
  binDir = tempDir('bin');
  const shim = path.join(binDir, 'vfio-lens');
  fs.writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${cliPath}' "$@"\n`);
  fs.chmodSync(shim, 0o755);
  return binDir;
}

export function envWithCli(extra: Record<string, string> = {}): Record<string, string> {
  const env = { ...(process.env as Record<string, string>), ...extra };
  env.PATH = `${cliOnPath()}:${env.PATH ?? ''}`;
  return env;
}

/**
 * The fenced code block that follows `<!-- tested: ID -->` in docs/lsp-clients.md: the setup a
 * user copies, which the driver for ID runs unchanged.
 */
export function documentedSetup(id: string): string {
  const doc = fs.readFileSync(path.join(projectRoot, 'docs', 'lsp-clients.md'), 'utf8');
  const marker = `<!-- tested: ${id} -->`;
  const at = doc.indexOf(marker);
  if (at < 0) throw new Error(`docs/lsp-clients.md has no "${marker}"`);
  const open = doc.indexOf('```', at);
  const bodyStart = doc.indexOf('\n', open) + 1;
  const close = doc.indexOf('\n```', bodyStart);
  if (open < 0 || close < 0) throw new Error(`no fenced code block after "${marker}" in docs/lsp-clients.md`);
  return doc.slice(bodyStart, close + 1);
}

/** Where a client's program is, or the reason it is missing (CI=true: thrown, a failure). */
export function clientMissing(what: string, check: () => boolean): string | undefined {
  if (check()) return undefined;
  const msg = `${what} is not installed (node test/clients/setup.mjs installs it)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; under CI=true this is a failure, not a skip`);
  return msg;
}

export function runs(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** The line of the sample series the editor tests hover: patch 3/3's new memory-enabled decision. */
export const DECISION_LINE = '+\treturn pdev->no_command_memory';

export interface EditorRun {
  home: string;
  init: string;
  series: string;
  out: string;
  env: Record<string, string>;
}

/**
 * An empty HOME holding the documented setup `setupId` as `initName` and a copy of the sample
 * series; the driver is told (VFIO_LENS_*) where the series is, what line to hover and where to
 * write what it received.
 */
export function editorRun(
  name: string,
  setupId: string,
  initName: string,
  extraEnv: Record<string, string> = {},
): EditorRun {
  const home = tempDir(name);
  const init = path.join(home, initName);
  fs.writeFileSync(init, documentedSetup(setupId));
  const series = path.join(home, path.basename(sampleSeries));
  fs.copyFileSync(sampleSeries, series);
  const out = path.join(home, 'result.json');
  const env = envWithCli({
    HOME: home,
    VFIO_LENS_OUT: out,
    VFIO_LENS_FILE: series,
    VFIO_LENS_NEEDLE: DECISION_LINE,
    ...extraEnv,
  });
  return { home, init, series, out, env };
}

/** What the driver wrote; fails with the client's output when it wrote nothing or an error. */
export function driverResult<T>(run: EditorRun, r: SpawnSyncReturns<string>, client: string): T {
  if (!fs.existsSync(run.out))
    throw new Error(`${client} wrote no result (exit ${r.status ?? r.signal}): ${r.stdout}${r.stderr}`);
  const res = JSON.parse(fs.readFileSync(run.out, 'utf8')) as T & { error?: string };
  if (res.error !== undefined) throw new Error(`${client} driver: ${res.error}\n${r.stderr}`);
  return res;
}
