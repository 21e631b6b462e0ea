// The end-to-end tests in a real VS Code, all of them: installs the tools when missing (setup.mjs),
// builds and type-checks, packages the .vsix (npm run package), runs the extension-host suite through
// @vscode/test-electron's runTests, then the UI smoke twice (development folder, installed .vsix).
// Prints "N passed, N failed" last and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setup } from './setup.mjs';
import { paths } from './paths.mjs';
import { inputsMissing, makeWorkspace } from './workspace.mjs';
import { runSmoke } from './smoke.mjs';
import { vscodeVersion } from './codeServer.mjs';

const started = Date.now();
const totals = { passed: 0, failed: 0 };
const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}`);

function finish() {
  log('done');
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed ? 1 : 0);
}

function stage(title, cmd, args) {
  log(title);
  const r = spawnSync(cmd, args, { cwd: paths.root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${title}: failed (exit ${r.status ?? r.signal})`);
    totals.failed++;
    finish();
  }
}

try {
  setup();
} catch (e) {
  console.error(`e2e setup failed: ${e.message}`);
  totals.failed++;
  finish();
}
const skip = inputsMissing();
if (skip) {
  console.log(`end-to-end tests skipped: ${skip}`);
  finish();
}
log(`VS Code ${vscodeVersion()} (code-server), chromium ${paths.chromium}`);
rmSync(paths.output, { recursive: true, force: true });
const bin = (name) => path.join(paths.root, 'node_modules', '.bin', name);
stage('compile (tsc)', bin('tsc'), ['-p', '.']);
stage('package the extension (npm run package)', 'npm', ['run', '-s', 'package']);
const vsix = path.join(paths.root, 'vfio-lens.vsix');
if (!existsSync(vsix)) {
  console.error(`npm run package did not produce ${vsix}`);
  totals.failed++;
  finish();
}
log(`vfio-lens.vsix: ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);

log('extension-host suite (mocha in the extension host, through runTests)');
const suiteOutput = await captureSuite(makeWorkspace());
totals.passed += suiteOutput.passing;
totals.failed += suiteOutput.failing + (suiteOutput.code !== 0 && suiteOutput.failing === 0 ? 1 : 0);

for (const mode of ['devpath', 'vsix']) {
  log(`UI smoke (${mode})`);
  const results = await runSmoke({ mode, vsix, workspace: makeWorkspace() });
  for (const r of results) {
    if (r.ok) totals.passed++;
    else {
      totals.failed++;
      console.error(`  FAILED (${mode}): ${r.name}: ${r.error}`);
    }
  }
}
log(`screenshots: ${path.join(paths.output, 'shots')}`);
finish();

/** Runs the suite in a child process so that its mocha summary ("N passing", "N failing") can be counted. */
async function captureSuite(workspace) {
  const r = spawnSync(process.execPath, [path.join(paths.root, 'test', 'e2e', 'extHost.mjs'), workspace], {
    cwd: paths.root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 8 * 60 * 1000,
  });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const text = `${r.stdout}\n${r.stderr}`;
  const passing = Number(/(\d+) passing/.exec(text)?.[1] ?? 0);
  const failing = Number(/(\d+) failing/.exec(text)?.[1] ?? 0);
  return { code: r.status ?? 1, passing, failing };
}
