/**
 * dist/extension.js, the extension's loader (scripts/extension-loader.cjs): VS Code's extension
 * host loads it, and it runs dist/extension-main.js through V8's code cache: written after a load
 * (VFIO_LENS_CODE_CACHE_WRITE_AFTER_MS), used by the next, rewritten when V8 rejects it, and never
 * in the way (off, or a folder that cannot be written: the extension loads the same).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../support/shared';

const loader = path.join(projectRoot, 'dist', 'extension.js');

/**
 * A child that loads dist/extension.js as the extension host would (its `require('vscode')`
 * answered by an empty module: loading needs none of the API) and prints what it exports, then
 * stays until the loader's cache write has run.
 */
function load(
  cache: string,
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const script = `
    const Module = require('node:module');
    const resolve = Module._resolveFilename;
    const stub = require('node:path').join(require('node:os').tmpdir(), 'vfio-lens-test-vscode-' + process.pid + '.cjs');
    require('node:fs').writeFileSync(stub, 'module.exports = {};');
    Module._resolveFilename = function (request, ...rest) {
      return request === 'vscode' ? stub : resolve.call(this, request, ...rest);
    };
    const ext = require(${JSON.stringify(loader)});
    require('node:fs').rmSync(stub);
    process.stdout.write(Object.keys(ext).sort().join(','));
    if (process.env.DEACTIVATE) ext.deactivate().then(() => process.stdout.write(' deactivated'));
    else setTimeout(() => {}, 200);
  `;
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      VFIO_LENS_CODE_CACHE: cache,
      VFIO_LENS_CODE_CACHE_TRACE: '1',
      VFIO_LENS_CODE_CACHE_WRITE_AFTER_MS: '0',
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

before(() => {
  if (!fs.existsSync(loader) || !fs.existsSync(path.join(projectRoot, 'dist', 'extension-main.js'))) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8' });
    assert.equal(b.status, 0, `build failed: ${b.stderr}`);
  }
});

describe('dist/extension.js and the code cache', () => {
  test('the first load writes a cache, the next uses it; both export activate and deactivate', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-ext-cache-'));
    try {
      const first = load(dir);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, 'activate,deactivate');
      assert.match(first.stderr, /extension-main\.js: no cache yet/);
      assert.match(first.stderr, /extension-main\.js: written to /);
      const files = cacheFiles(dir);
      assert.equal(files.length, 1, files.join(' '));
      assert.match(files[0], /^extension-main-[0-9a-f]{16}-v\d+\.\d+\.\d+-[0-9a-f]+\.bin$/);
      const second = load(dir);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout, 'activate,deactivate');
      assert.match(second.stderr, /extension-main\.js: cache used/);
      // the same bundle loaded the same way adds nothing: the file is not written again
      assert.match(second.stderr, /little added/);
      assert.deepEqual(cacheFiles(dir), files);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a window closed before the timer: deactivate writes the cache', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-ext-cache-'));
    try {
      const r = load(dir, { VFIO_LENS_CODE_CACHE_WRITE_AFTER_MS: '600000', DEACTIVATE: '1' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'activate,deactivate deactivated');
      assert.match(r.stderr, /written to /);
      assert.equal(cacheFiles(dir).length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a cache V8 rejects costs only the compile, and is written anew', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-ext-cache-'));
    try {
      assert.equal(load(dir).code, 0);
      const [name] = cacheFiles(dir);
      fs.writeFileSync(path.join(dir, name), Buffer.from('not a code cache'));
      const r = load(dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'activate,deactivate');
      assert.match(r.stderr, /cache rejected/);
      assert.ok(fs.statSync(path.join(dir, name)).size > 1000, 'written anew');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('off writes nothing; a folder that cannot be made (a file in the way, /proc) only says so', () => {
    const off = load('off');
    assert.equal(off.code, 0, off.stderr);
    assert.equal(off.stdout, 'activate,deactivate');
    assert.doesNotMatch(off.stderr, /written|cache used/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-ext-cache-'));
    try {
      // a file where the folder should be: mkdir fails
      const blocked = path.join(dir, 'file');
      fs.writeFileSync(blocked, '');
      const r = load(path.join(blocked, 'cache'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'activate,deactivate');
      assert.match(r.stderr, /not written/);
      // a folder under /proc: Node 20's recursive mkdir never returns there (the extension host
      // would hang); the loader's own walk gives up and says so
      const proc = load('/proc/vfio-lens-no-such/cache');
      assert.equal(proc.code, 0, proc.stderr);
      assert.equal(proc.stdout, 'activate,deactivate');
      assert.match(proc.stderr, /not written \(/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
