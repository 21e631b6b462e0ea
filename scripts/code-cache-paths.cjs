// Where vfio-lens keeps its V8 code caches, and what besides a bundle's content decides whether V8
// accepts one: the two loaders' (scripts/cli-loader.cjs, scripts/extension-loader.cjs), which
// require it; scripts/build.mjs writes it into each (dist/cli.js and dist/extension.js stay one
// file each).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The cache folder: VFIO_LENS_CODE_CACHE=off (or 0) for none, =/dir for another. */
function cacheDirectory() {
  const setting = process.env.VFIO_LENS_CODE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting && path.isAbsolute(setting)) return setting;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'vfio-lens', 'code-cache');
}

/** A short hash of what else decides whether V8 accepts a code cache: Node and its flags. */
function runtimeTag() {
  const text = `${process.version} ${process.arch} ${process.execArgv.join(' ')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${process.version}-${h.toString(16)}`;
}

/**
 * Makes `target` and its missing parents, at most 32 of them. Not `mkdirSync(..., { recursive })`:
 * Node 20's loops forever where a parent cannot be made under /proc (XDG_CACHE_HOME=/proc/x hung
 * every command at exit, and would hang VS Code's extension host).
 */
function makeDirectory(target) {
  const missing = [];
  for (let d = target; !fs.existsSync(d); d = path.dirname(d)) {
    if (missing.length >= 32 || path.dirname(d) === d) throw new Error(`cannot make ${target}`);
    missing.push(d);
  }
  for (const d of missing.reverse()) fs.mkdirSync(d, { mode: 0o700 });
}

/**
 * Writes a cache file whole or not at all (a reader never sees half of one): into a file of its
 * own (`writer` tells concurrent writers apart), then renamed. Throws what went wrong.
 */
function writeCacheFile(dir, file, data, writer = String(process.pid)) {
  makeDirectory(dir);
  const tmp = `${file}.${writer}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** A cache file's bytes; undefined when there is none (or it cannot be read: the compile pays). */
function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Keeps the `keep` most recently used cache files of a bundle (`<base>-<hash>-*.bin`: every build
 * of it, and every Node, has its own) and removes the others, calling `removed` with each path.
 */
function keepNewest(dir, base, keep, removed = () => {}) {
  const pattern = new RegExp(`^${base}-[0-9a-f]{16}-.*\\.bin$`);
  try {
    const files = fs
      .readdirSync(dir)
      .filter((f) => pattern.test(f))
      .map((f) => ({ f, used: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.used - a.used);
    for (const { f } of files.slice(keep)) {
      fs.rmSync(path.join(dir, f), { force: true });
      removed(path.join(dir, f));
    }
  } catch {
    // another process is pruning too
  }
}

module.exports = { cacheDirectory, runtimeTag, readCache, keepNewest, writeCacheFile };
