#!/usr/bin/env node
// dist/cli.js: the `vfio-lens` command and the language server's entry. scripts/build.mjs writes
// it from this file (filling in BUNDLE_HASHES); the program itself is dist/cli-bundle.js.
//
// It loads the bundle through V8's code cache, as Node 22's module.enableCompileCache() would
// (Node 20 has none): the bytecode V8 compiled in an earlier run, for every function that run
// used, is read from a cache file instead of compiled again. A cache file is named by the
// bundle's content hash, Node's version, the V8 flags and what runs it (the language server's
// protocol thread, or the analysis: the CLI and the server's analysis process), and V8 rejects
// one that does not fit; then the bundle is compiled from source as usual and the cache written
// again at exit. A cache holds what the runs that wrote it used (`--help` first: almost nothing
// of the analysis): a later run of some length makes it again (what it read, and what it compiled) and writes it when
// it holds a tenth more; once a run adds less, a stamp beside it records how much bytecode that
// run held, and only a later run of that kind (the CLI, the language server, its analysis
// process: each compiles other functions) holding a tenth more checks the cache again.
//
// VFIO_LENS_CODE_CACHE=off disables it; VFIO_LENS_CODE_CACHE=/dir puts the cache in /dir
// (default: $XDG_CACHE_HOME/vfio-lens/code-cache or ~/.cache/vfio-lens/code-cache). Any failure
// to read or write the cache only costs the compile: the command runs the same.
// VFIO_LENS_CODE_CACHE_TRACE=1 says on stderr what happened to each cache file, and in which kind of run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

// tree-sitter's wasm tier-up budget, as server/src/csrc/treeSitter.ts sets it (see there why). Set
// here too, before the bundle is compiled: V8 checks a code cache against the flags it was made
// under, and one made after treeSitter.ts changed them would never fit the next run's compile.
require('node:v8').setFlagsFromString(/* WASM_TIERING */ '');

// TurboFan later: V8 optimises a function once it has run through an interrupt budget of bytecode
// (132 KB by default); 600 KB here. A run over one patch is done before most of the model would be
// optimised, and optimising it cost more CPU than it saved (npm run bench -- cold: seed 002's
// analysis 1.2 -> 0.7 s of CPU); a long run (a 4 MB mbox, the server) is optimised a little later.
// A budget given on node's command line (node --interrupt-budget=N dist/cli.js) is kept. V8 12 and
// later count invocations instead and have no such flag (V8 says "unrecognized flag" on stderr: the
// Node 24 of VS Code's extension host printed it at every start): there V8's own tiering stays.
if (
  Number(process.versions.v8.split('.')[0]) <= 11 &&
  !process.execArgv.some((a) => a.startsWith('--interrupt-budget'))
) {
  require('node:v8').setFlagsFromString('--interrupt-budget=600000');
}

/** Bundle file -> its content hash; null when the bundles may change under us (esbuild --watch). */
const BUNDLE_HASHES = /* BUNDLE_HASHES */ null;

const trace = process.env.VFIO_LENS_CODE_CACHE_TRACE === '1';
// each line names the kind of run (the server's analysis process shares the server's stderr)
const note = (message) => trace && process.stderr.write(`vfio-lens code cache (${role}): ${message}\n`);

const {
  cacheDirectory,
  runtimeTag,
  readCache,
  keepNewest,
  writeCacheFile,
} = require('./code-cache-paths.cjs');

const dir = BUNDLE_HASHES ? cacheDirectory() : undefined;
/** The kind of run, for the stamp that ends its checks of a cache (each kind compiles other functions). */
const thread = !require('node:worker_threads').isMainThread;
const role =
  thread || (process.argv[2] === 'lsp' && process.argv.includes('--analysis-worker'))
    ? 'worker'
    : process.argv[2] === 'lsp'
      ? 'server'
      : 'cli';
const stampOf = (file) => `${file}.${role}-complete`;

// The language server collects its heap once when its last document closes (lsp/server.ts), and
// its analysis process, idle after a burst of documents, gives back what older ones left in its
// caches (lsp/analysisRunner.ts): V8's collector is exposed to both here, before the bundle is
// compiled, as the other flags (V8 checks a code cache against them). The CLI does not need it.
if (role === 'server' || role === 'worker') require('node:v8').setFlagsFromString('--expose-gc');

// The CLI's young generation grows to its 16 MB at the first scavenge that finds it short, not by
// doubling from 1 MB: a command reads a whole document first, and nearly everything the reader
// makes lives until the end (`npm run bench -- cold`, the reader's first parse in `stats`, medians
// of 7 interleaved runs: bench b 82 -> 72 ms, bench a 86 -> 76 ms; `analyze` of seed 002 and k02
// the same; the RSS of a 4 MB mbox's analysis 3-6 MB more). Not for the language server and its
// analysis process, which stay: their memory is the server's (the analysis process's semi-spaces
// are held at 4 MB).
if (role === 'cli') require('node:v8').setFlagsFromString('--semi-space-growth-factor=16');

// The language server's young generation stays at its first size (1 MB semi-spaces), not grown to
// 16 MB ones by a burst of documents: V8 never gives a grown young generation back, and the server keeps
// little of what a document's messages make (its analysis comes from the analysis process). After
// the 73 corpus and seed files opened and closed (`npm run bench -- cold`'s memory rows, three
// interleaved runs each): RSS 71-73 -> 64-66 MB against a start of 61-63 MB; the 73 open in the same
// 6.1-7.6 s, `initialize` -> first diagnostics of seed 002 422 / 428 ms (medians of 9).
if (role === 'server') require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');

// The language server's analysis process starts now, while this process loads the server's bundle
// (its Node's start and its own bundle's load were most of the wait of a first document's analysis).
// The server takes it as its first worker (server/src/lsp/analysisProcess.ts); without a transport
// the command is a usage error, and nothing is started.
if (
  role === 'server' &&
  process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket'))
)
  try {
    require('./analysis-process.js').startEarly(process.argv[1]);
  } catch {
    // the server forks its first worker itself
  }

/**
 * Which cache file a run reads: the server's main thread runs the protocol, the CLI and the
 * analysis process run the analysis; a cache of both made each load the other's bytecode too
 * (the CLI about 25 ms of its start, the server's main thread its memory).
 */
const group = role === 'server' ? 'server' : 'analysis';
/**
 * A run shorter than this (ms after the bundle loaded) does not make a used cache again.
 * VFIO_LENS_CODE_CACHE_GROW_AFTER_MS=N sets another (the tests: whether a short run is long enough
 * depends on the machine, and a test of what a longer run does must not).
 */
const GROW_AFTER_MS = /^\d+$/.test(process.env.VFIO_LENS_CODE_CACHE_GROW_AFTER_MS ?? '')
  ? Number(process.env.VFIO_LENS_CODE_CACHE_GROW_AFTER_MS)
  : 200;
/** Cache files kept per bundle (builds x Node versions x flags), the most recently used. */
const KEPT_CACHES = 8;
const tag = dir && runtimeTag();
const loaded = new Map();
/** Scripts compiled without a usable cache, or with one not yet complete: written once they have run a while. */
const unwritten = [];

/**
 * The bytecode V8 holds now: every function this run compiled or read from a cache (less what it
 * flushed). A stamp records it for the run that found a cache complete; a later run of the same
 * kind that holds a tenth more (it ran code the stamping run did not: `analyze` after `matrix`)
 * checks the cache again. Without it, the first runs of a kind decided for good (test runs of
 * small patches, then every `analyze` of seed 002 started with a cache missing the reader and the
 * analysis: 0.64 -> 0.70 s).
 */
function bytecodeNow() {
  return require('node:v8').getHeapCodeStatistics().bytecode_and_metadata_size;
}

/** The bytecode a cache's stamp records (0 for a stamp that records none); undefined without one. */
function stampedBytecode(file) {
  try {
    const n = Number(fs.readFileSync(stampOf(file), 'utf8').trim());
    return Number.isFinite(n) ? n : 0;
  } catch {
    return undefined;
  }
}

/** Every kind of run's stamp of a cache file (removed with it, or when it is made anew). */
function stampsOf(file) {
  return ['cli', 'server', 'worker'].map((r) => `${file}.${r}-complete`);
}

/**
 * Writes each cache that grew. `final`: the last check of this run, which stamps a cache it found
 * grown little as complete; an earlier one (the server's at 5 s) only writes, and the run's exit
 * decides, with what the session compiled since (the first hover, a code lens). A stamped cache
 * is checked only by a run that holds a tenth more bytecode than the run that stamped it.
 */
function writeCaches(final) {
  for (const entry of final ? unwritten.splice(0) : unwritten.slice()) {
    const { script, file, name, used, loadedAt, stamped } = entry;
    try {
      if (used !== undefined && performance.now() - loadedAt < GROW_AFTER_MS) continue;
      const bytecode = bytecodeNow();
      if (stamped !== undefined && bytecode <= stamped * 1.1) {
        if (final)
          note(`${name}: complete for this run (${bytecode} bytes of bytecode, ${stamped} when stamped)`);
        continue;
      }
      const data = script.createCachedData();
      if (used !== undefined && data.length < used * 1.1) {
        if (!final) {
          note(`${name}: little added so far (${used} -> ${data.length} bytes): checked again at exit`);
          continue;
        }
        fs.writeFileSync(stampOf(file), String(Math.max(bytecode, stamped ?? 0)));
        note(`${name}: this run added little to the cache (${used} -> ${data.length} bytes): complete`);
        continue;
      }
      writeCacheFile(dir, file, data, `${process.pid}.${require('node:worker_threads').threadId}`);
      entry.used = data.length; // a later check of this run compares with what it wrote
      // a cache made anew (none, or rejected) is checked again as it grows
      if (used === undefined) for (const f of stampsOf(file)) fs.rmSync(f, { force: true });
      note(`${name}: written to ${file}${used !== undefined ? ` (${used} -> ${data.length} bytes)` : ''}`);
    } catch (e) {
      note(`${name}: not written (${e.message})`);
      continue;
    }
    // every build of the bundle (checkouts, upgrades) and every Node has its own file: keep the
    // most recently used few of this bundle's, so the folder does not grow without end
    keepNewest(dir, path.basename(name, '.js'), KEPT_CACHES, (removed) => {
      for (const stamp of stampsOf(removed)) fs.rmSync(stamp, { force: true });
      note(`${name}: removed ${path.basename(removed)}, the least recently used`);
    });
  }
}

/** Loads dist/<name> as a CommonJS module; `./<bundle>` requires inside it come back here. */
function load(name) {
  const done = loaded.get(name);
  if (done) return done.exports;
  const filename = path.join(__dirname, name);
  const source = fs.readFileSync(filename, 'utf8');
  const hash = BUNDLE_HASHES && BUNDLE_HASHES[name];
  const file = dir && hash && path.join(dir, `${path.basename(name, '.js')}-${hash}-${tag}-${group}.bin`);
  const cachedData = file ? readCache(file) : undefined;
  if (file && !cachedData) note(`${name}: no cache yet`);
  const script = new vm.Script(require('node:module').wrap(source), { filename, cachedData });
  if (cachedData) {
    note(`${name}: cache ${script.cachedDataRejected ? 'rejected' : 'used'}`);
    if (!script.cachedDataRejected) {
      try {
        const now = new Date();
        fs.utimesSync(file, now, now); // used: the last to be pruned
      } catch {
        // read-only: it is only kept less long
      }
    }
  }
  const fresh = !cachedData || script.cachedDataRejected;
  if (file) {
    if (unwritten.length === 0) {
      // at exit (the CLI, the server, its analysis process, which exits when the server lets it
      // go), and after a few seconds for the long-running ones (only writes: the exit decides,
      // with what the session compiled since); a worker thread's exit runs no JavaScript, so its
      // 5 s check is its last
      process.once('exit', () => writeCaches(true));
      setTimeout(() => writeCaches(thread || role === 'cli'), 5000).unref();
    }
    unwritten.push({
      script,
      file,
      name,
      used: fresh ? undefined : cachedData.length,
      loadedAt: performance.now(),
      stamped: fresh ? undefined : stampedBytecode(file),
    });
  }
  const mod = { exports: {}, filename, id: filename, loaded: false, children: [], paths: [] };
  loaded.set(name, mod);
  const nodeRequire = require('node:module').createRequire(filename);
  const bundleRequire = (id) =>
    BUNDLE_HASHES && id.startsWith('./') && id.slice(2) in BUNDLE_HASHES
      ? load(id.slice(2))
      : nodeRequire(id);
  bundleRequire.resolve = nodeRequire.resolve;
  bundleRequire.cache = nodeRequire.cache;
  script.runInThisContext()(mod.exports, bundleRequire, mod, filename, __dirname);
  mod.loaded = true;
  return mod.exports;
}

/**
 * A command is done when main() resolves: its output is written and it waits for nothing. Left to
 * itself, Node would first run the tasks V8 posted for the heap it is about to drop: at the end of
 * an `analyze` of seed 002, a scavenge and the finish of an incremental marking, 30-38 ms after its
 * last line was written (--trace-gc, stamps at the last write and at 'beforeExit'). So the CLI exits
 * once stdout and stderr have handed on what they hold; the 'exit' handlers (the code cache's
 * check) still run. Not the language server and its analysis process: they end themselves.
 */
function exitOnceWritten() {
  let waiting = 2;
  const done = () => {
    if (--waiting === 0) process.exit();
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0) stream.write('', done);
    else done();
  }
}

const bundle = BUNDLE_HASHES ? load('cli-bundle.js') : require('./cli-bundle.js');
bundle.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    if (role === 'cli') exitOnceWritten();
  },
  (e) => {
    process.stderr.write(String(e) + '\n');
    process.exitCode = 3;
    if (role === 'cli') exitOnceWritten();
  },
);
