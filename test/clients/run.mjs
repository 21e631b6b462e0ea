// The clients stage of `npm test`: installs the clients when they are missing (setup.mjs: Debian's
// neovim, emacs-nox, elpa-eglot, b4), then runs the tests that drive them (out/test/clients/*.test.js,
// built by tsc): sarif-multitool validate, b4's check runner, Neovim 0.7, Emacs eglot. Without root a
// missing client is skipped with its reason; under CI=true it is a failure. Writes a TAP report to
// out/clients-test.tap (scripts/test.mjs counts it). Run: node test/clients/run.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setup } from './setup.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const testsDir = path.join(root, 'out', 'test', 'clients');

const t0 = Date.now();
const missing = setup();
const setupSecs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`[clients] setup: ${setupSecs} s${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
if (missing.length && process.env.CI === 'true') {
  console.error(`[clients] under CI=true every client must be there; missing ${missing.join(', ')}`);
  process.exit(1);
}

const tests = existsSync(testsDir)
  ? readdirSync(testsDir)
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => path.join(testsDir, f))
  : [];
if (tests.length === 0) {
  console.error(`[clients] no tests in ${testsDir}: run tsc -p . first`);
  process.exit(1);
}
const t1 = Date.now();
const r = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${path.join(root, 'out', 'clients-test.tap')}`,
    ...tests,
  ],
  { cwd: root, stdio: 'inherit' },
);
console.log(`[clients] tests: ${((Date.now() - t1) / 1000).toFixed(1)} s (setup ${setupSecs} s)`);
process.exit(r.status ?? 1);
