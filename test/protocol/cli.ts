/** Runs the bundled CLI (dist/cli.js) for the "same answer as the CLI" checks. */
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../support/shared';
import { cliPath } from './lspClient';

export function cliJson<T>(args: string[]): T {
  const out = execFileSync(process.execPath, [cliPath, ...args, '--format', 'json'], {
    cwd: projectRoot,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out) as T;
}
