// dist/extension.js: what VS Code loads. scripts/build.mjs writes it from this file (filling in
// BUNDLE_HASH); the extension itself is dist/extension-main.js.
//
// It loads the bundle through V8's code cache, as dist/cli.js does the CLI's: VS Code's extension
// host compiles an extension's JavaScript from source in every window, and for vfio-lens that was
// most of its load (the bundle, with the language client it loads when the server starts: in Node
// 20, 49-62 ms to load and 23-32 ms for the client library, 33-38 and 15-18 ms from a cache). The
// cache is written 10 s after the load and when VS Code deactivates the extension (by then a window
// has started the server and shown the first document's diagnostics: what a window compiles
// first), when none fitted or it holds a tenth more than the one read or written; the folder keeps
// the few newest. It is the CLI's folder (VFIO_LENS_CODE_CACHE=off disables it, =/dir moves
// it), a file per bundle, VS Code's Node and its flags. Any failure to read or write it only costs
// the compile. VFIO_LENS_CODE_CACHE_TRACE=1 says on stderr what happened to it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

/** The bundle's content hash; null when it may change under us (esbuild --watch). */
const BUNDLE_HASH = /* BUNDLE_HASH */ null;
const BUNDLE = 'extension-main.js';
/** How long after the load the cache is written; VFIO_LENS_CODE_CACHE_WRITE_AFTER_MS=N for another. */
const WRITE_AFTER_MS = /^\d+$/.test(process.env.VFIO_LENS_CODE_CACHE_WRITE_AFTER_MS ?? '')
  ? Number(process.env.VFIO_LENS_CODE_CACHE_WRITE_AFTER_MS)
  : 10_000;
/** The newest cache files of this bundle kept (other builds, other VS Code versions). */
const KEPT_CACHES = 4;

const trace = process.env.VFIO_LENS_CODE_CACHE_TRACE === '1';
const note = (message) => trace && process.stderr.write(`vfio-lens code cache (extension): ${message}\n`);

const {
  cacheDirectory,
  runtimeTag,
  readCache,
  keepNewest,
  writeCacheFile,
} = require('./code-cache-paths.cjs');

const filename = path.join(__dirname, BUNDLE);
const dir = BUNDLE_HASH ? cacheDirectory() : undefined;
const base = path.basename(BUNDLE, '.js');
const file = dir && path.join(dir, `${base}-${BUNDLE_HASH}-${runtimeTag()}.bin`);

const cachedData = file ? readCache(file) : undefined;
if (file && !cachedData) note(`${BUNDLE}: no cache yet`);
const script = new vm.Script(require('node:module').wrap(fs.readFileSync(filename, 'utf8')), {
  filename,
  cachedData,
});
let used = cachedData && !script.cachedDataRejected ? cachedData.length : undefined;
if (cachedData)
  note(`${BUNDLE}: ${used === undefined ? 'cache rejected (compiled from source)' : 'cache used'}`);
// the bundle's require is this module's: VS Code answers `require('vscode')` by the requiring
// module's path, which is inside the extension's folder, as the bundle's is
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, require, bundle, filename, __dirname);

function writeCache() {
  try {
    const data = script.createCachedData();
    if (used !== undefined && data.length < used * 1.1) {
      note(`${BUNDLE}: little added (${used} -> ${data.length} bytes): not written`);
      return;
    }
    writeCacheFile(dir, file, data);
    used = data.length; // a later check writes only what grew since
    note(`${BUNDLE}: written to ${file} (${data.length} bytes)`);
    keepNewest(dir, base, KEPT_CACHES);
  } catch (e) {
    note(`${BUNDLE}: not written (${e.message})`);
  }
}

// written after a while, and when VS Code deactivates the extension (a window closed sooner)
if (file) setTimeout(writeCache, WRITE_AFTER_MS).unref();
const { activate, deactivate } = bundle.exports;
module.exports = {
  activate,
  async deactivate() {
    try {
      return await deactivate?.();
    } finally {
      if (file) writeCache();
    }
  },
};
