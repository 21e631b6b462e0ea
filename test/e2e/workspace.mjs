// The inputs of the end-to-end tests: the seed series, a corpus thread and a quiet patch, copied from ../shared into
// a fresh workspace at test time (they are never part of the repository).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { paths } from './paths.mjs';

export const sharedDir = process.env.VFIO_LENS_SHARED ?? path.resolve(paths.root, '..', 'shared');

/** [source in ../shared, name in the workspace] */
function inputs() {
  const seeds = path.join(sharedDir, 'seeds');
  const seed = existsSync(seeds) ? readdirSync(seeds).find((f) => /^002_.*\.txt$/.test(f)) : undefined;
  return [
    [seed && path.join(seeds, seed), 'seed-002.txt'],
    [path.join(sharedDir, 'corpus', 'real', 'k05_mse-bit-v4_series.mbox'), 'k05-series.mbox'],
    // a patch with no vfio content (a stable-tree notice about mlx5): no lens, no finding
    [path.join(sharedDir, 'corpus', 'real', 'n04_stable-tree-added-mlx5-mpfs.eml'), 'n04-quiet.eml'],
  ];
}

/** Why the inputs cannot be had, or undefined when they are there. Under CI=true that is a failure. */
export function inputsMissing() {
  const missing = inputs().filter(([src]) => !src || !existsSync(src));
  if (missing.length === 0) return undefined;
  const msg = `../shared inputs not found under ${sharedDir} (set VFIO_LENS_SHARED)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; under CI=true this is a failure, not a skip`);
  return msg;
}

/** A new folder holding copies of the inputs. */
export function makeWorkspace(parent = paths.output) {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'workspace-'));
  for (const [src, name] of inputs()) cpSync(src, path.join(dir, name));
  return dir;
}
