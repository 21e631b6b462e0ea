// A real VS Code for the end-to-end tests: code-server (VS Code's server and workbench, Node 24)
// in a throwaway sandbox, driven by Debian's chromium through playwright-core.
// Everything a run writes (user data, extensions, browser profile, XDG dirs, logs) stays in the
// sandbox, so nothing lands in $HOME.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { paths } from './paths.mjs';

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  // the workspace sits inside the checkout: do not offer to open its git repository in screenshots
  'git.openRepositoryInParentFolders': 'never',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Light Modern',
  'editor.hover.delay': 200,
};

const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function checkTools() {
  const missing = [paths.node24, paths.codeServerEntry, paths.chromium].filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(
      `missing ${missing.join(', ')}: run "node test/e2e/setup.mjs" (or set E2E_TOOLS, CHROMIUM)`,
    );
  }
}

/** A fresh sandbox under the run's output folder (theme: the workbench's colour theme, light by default). */
export function makeSandbox(name, { userData, extensionsDir, theme } = {}) {
  checkTools();
  mkdirSync(paths.output, { recursive: true });
  const root = mkdtempSync(path.join(paths.output, `${name}-`));
  const sb = {
    root,
    userData: path.resolve(userData ?? path.join(root, 'user-data')),
    extensionsDir: path.resolve(extensionsDir ?? path.join(root, 'extensions')),
    workspace: path.join(root, 'workspace'),
    browserProfile: path.join(root, 'browser'),
    config: path.join(root, 'code-server.yaml'),
    log: path.join(root, 'code-server.log'),
  };
  for (const d of [path.join(sb.userData, 'User'), sb.extensionsDir, sb.workspace, sb.browserProfile]) {
    mkdirSync(d, { recursive: true });
  }
  const settings = path.join(sb.userData, 'User', 'settings.json');
  if (!existsSync(settings)) {
    const user = theme ? { ...USER_SETTINGS, 'workbench.colorTheme': theme } : USER_SETTINGS;
    writeFileSync(settings, JSON.stringify(user, null, 2));
  }
  writeFileSync(sb.config, '');
  sb.env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
  };
  return sb;
}

export function removeSandbox(sb) {
  if (!process.env.KEEP_E2E_SANDBOX) rmSync(sb.root, { recursive: true, force: true });
}

const dirArgs = (sb) => [
  '--config',
  sb.config,
  '--user-data-dir',
  sb.userData,
  '--extensions-dir',
  sb.extensionsDir,
];

/** Installs a .vsix into the sandbox's extensions folder (code-server --install-extension, offline). */
export function installVsix(sb, vsix) {
  execFileSync(paths.node24, [paths.codeServerEntry, ...dirArgs(sb), '--install-extension', vsix], {
    env: sb.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Version of the VS Code inside code-server. */
export function vscodeVersion() {
  const product = path.join(path.dirname(paths.codeServerEntry), '..', '..', 'lib', 'vscode', 'product.json');
  return JSON.parse(readFileSync(product, 'utf8')).version;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function healthy(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts code-server on a free local port. developmentMode passes enable-smoke-test-driver, without
 * which a built VS Code ignores extensionDevelopmentPath / extensionTestsPath in the URL payload.
 * It runs in its own process group: stop() ends the extension host with it.
 */
export async function startCodeServer(sb, { developmentMode = false, timeoutMs = 60000 } = {}) {
  const port = await freePort();
  const args = [
    paths.codeServerEntry,
    ...dirArgs(sb),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--reconnection-grace-time',
    '5',
  ];
  if (developmentMode) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(sb.workspace);
  const log = openSync(sb.log, 'a');
  const proc = spawn(paths.node24, args, { stdio: ['ignore', log, log], env: sb.env, detached: true });
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const stop = async () => {
    if (exited()) return;
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 30 && !exited(); i++) await pause(100);
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (!(await healthy(`${base}/healthz`))) {
    if (exited()) throw new Error(`code-server exited (${proc.exitCode ?? proc.signalCode}); see ${sb.log}`);
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`code-server did not answer within ${timeoutMs} ms; see ${sb.log}`);
    }
    await pause(100);
  }
  return {
    base,
    stop,
    /** vscode-remote URI of a path on this machine, as the workbench names it. */
    remote: (p) => `vscode-remote://127.0.0.1:${port}${p}`,
    /** Workbench URL for a folder, with an optional payload [[key, value], ...]. */
    url: (folder, payload) =>
      `${base}/?folder=${encodeURIComponent(folder)}` +
      (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
  };
}

export function launchBrowser(sb, viewport = { width: 1440, height: 900 }) {
  return chromium.launchPersistentContext(sb.browserProfile, {
    executablePath: paths.chromium,
    headless: true,
    viewport,
    args: BROWSER_ARGS,
    env: sb.env,
  });
}

export function logTail(sb, lines = 40) {
  try {
    return readFileSync(sb.log, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Page-console lines of the workbench that are expected noise here (no network, no telemetry). */
const CONSOLE_NOISE = [
  /^Creating a socket/,
  /connection token/,
  /reconnection-grace-time/,
  /^\[Service Worker\]/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /additional builtin extensions/,
  /extensionquery|ENOTFOUND|ERR_NAME_NOT_RESOLVED/,
  /vsda/,
  /^Started local extension host/,
  /^\[remote-connection\]/,
  /^\[DefaultAccount\]/,
];

/**
 * Runs an extension test runner (a module exporting run()) inside code-server's Node extension host,
 * as `code --extensionTestsPath` does. The workbench needs a client, so a headless chromium page is
 * it; the runner's console reaches the page and is printed here. Resolves to the exit code the
 * workbench reports through window.codeAutomationExit.
 */
export async function runExtensionTests({
  developmentPaths,
  testsPath,
  folder,
  userData,
  extensionsDir,
  timeoutMs = 300000,
}) {
  const sb = makeSandbox('ext-host', { userData, extensionsDir });
  const server = await startCodeServer(sb, { developmentMode: true });
  let context;
  let code = 1;
  try {
    context = await launchBrowser(sb);
    const page = context.pages()[0] ?? (await context.newPage());
    const exit = new Promise((resolve) => void page.exposeFunction('codeAutomationExit', (c) => resolve(c)));
    let printing = Promise.resolve();
    page.on('console', (m) => {
      if (!m.text().startsWith('%c')) return;
      const toErr = m.type() === 'error';
      printing = printing
        .then(() => Promise.all(m.args().map((a) => a.jsonValue().catch(() => ''))))
        .then(([, , format, ...rest]) => {
          if (typeof format !== 'string') return;
          let i = 0;
          const line = format.replace(/%[sdifoOj]/g, () => String(rest[i++]));
          const tail = i < rest.length ? ' ' + rest.slice(i).map(String).join(' ') : '';
          if (CONSOLE_NOISE.some((re) => re.test(line))) return;
          (toErr ? process.stderr : process.stdout).write(line + tail + '\n');
        });
    });
    const payload = developmentPaths.map((p) => ['extensionDevelopmentPath', server.remote(path.resolve(p))]);
    payload.push(['extensionTestsPath', server.remote(path.resolve(testsPath))]);
    await page.goto(server.url(path.resolve(folder ?? sb.workspace), payload));
    const timeout = pause(timeoutMs).then(() => 'timeout');
    code = await Promise.race([exit, timeout]);
    if (code === 'timeout') {
      process.stderr.write(`the extension tests gave no result within ${timeoutMs} ms\n`);
      code = 1;
    }
    await printing;
  } catch (e) {
    process.stderr.write(`${e?.stack ?? e}\n`);
    code = 1;
  } finally {
    await context?.close().catch(() => {});
    await server.stop();
    if (code !== 0) process.stderr.write(`--- code-server log (${sb.log}) ---\n${logTail(sb)}\n`);
    if (code === 0) removeSandbox(sb);
  }
  return code;
}
