// npm test: type-check, lint (layers included) and format check, build, then every test suite in
// turn: unit, CLI-process and protocol tests (node:test over the compiled tests), the seeded fuzz
// pass, grammar tests, the clients stage (test/clients/run.mjs: the SARIF validator, b4's check
// runner, Neovim and Emacs, installed with apt when missing), and the end-to-end tests inside a real
// VS Code (test/e2e/run.mjs). Stops at the first failing stage.
// Environment: VFIO_LENS_SKIP_E2E=1 leaves out the end-to-end stage (never under CI=true).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0 };
const started = Date.now();

function run(title, cmd, args, opts = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.log(`=== ${title}: FAILED (exit ${r.status ?? r.signal}) after ${secs}s`);
    console.log(`tests: ${totals.passed} passed, ${totals.failed + 1} failed`);
    process.exit(1);
  }
  console.log(`=== ${title}: ok (${secs}s)`);
}

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

// out/ is compiled afresh: a test moved to another folder must not run again from its old place
rmSync(path.join(root, 'out'), { recursive: true, force: true });
run('type-check and compile (tsc)', bin('tsc'), ['-p', '.']);
run('type-check webview (tsc)', bin('tsc'), ['-p', 'client/webview']);
run('lint (eslint)', bin('eslint'), ['.']);
run('format (prettier --check)', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
run('bundle (esbuild)', process.execPath, ['scripts/build.mjs']);

const tests = [
  ...findTests(path.join(root, 'out/test/unit')),
  ...findTests(path.join(root, 'out/test/cli')),
  ...findTests(path.join(root, 'out/test/protocol')),
];
mkdirSync(path.join(root, 'out'), { recursive: true });
const tap = path.join(root, 'out', 'node-test.tap');
run('unit and protocol tests (node:test)', process.execPath, [
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  ...tests,
]);
function countTap(file) {
  const tapText = readFileSync(file, 'utf8');
  totals.passed += Number(/^# pass (\d+)/m.exec(tapText)?.[1] ?? 0);
  totals.failed += Number(/^# fail (\d+)/m.exec(tapText)?.[1] ?? 0);
}
countTap(tap);

// The seeded fuzz pass (test/fuzz, issue 13): fast-check properties over every entry point at fixed
// seeds, and every input that once failed (test/fuzz/regressions). Known failures of layers not
// fixed yet run as todo tests: reported, not failing. `npm run fuzz` is the long pass.
const fuzzTap = path.join(root, 'out', 'fuzz.tap');
run('fuzz: seeded pass and regressions (fast-check)', process.execPath, [
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${fuzzTap}`,
  ...findTests(path.join(root, 'out/test/fuzz')),
]);
countTap(fuzzTap);

if (existsSync(path.join(root, 'test/grammar/run.mjs'))) {
  run('grammar tests (vscode-tmgrammar-test)', process.execPath, ['test/grammar/run.mjs']);
}

// The clients reviewers use, each driven for real: SARIF validator, b4's check runner, Neovim, Emacs.
run('clients: sarif-multitool, b4, Neovim, Emacs eglot (test/clients)', process.execPath, [
  'test/clients/run.mjs',
]);
const clientsTap = readFileSync(path.join(root, 'out', 'clients-test.tap'), 'utf8');
totals.passed += Number(/^# pass (\d+)/m.exec(clientsTap)?.[1] ?? 0);
totals.failed += Number(/^# fail (\d+)/m.exec(clientsTap)?.[1] ?? 0);

const e2e = path.join(root, 'test/e2e/run.mjs');
if (process.env.VFIO_LENS_SKIP_E2E === '1' && process.env.CI !== 'true') {
  console.log('\n=== end-to-end tests: skipped (VFIO_LENS_SKIP_E2E=1)');
} else if (existsSync(e2e)) {
  run('end-to-end tests in a real VS Code (code-server)', process.execPath, [e2e]);
}

console.log(`\nall stages passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
