/**
 * Where the outside material lives: ../shared (seeds, corpus, domain doc) beside the project.
 * Tests that need it skip with a clear message when it is absent, except under CI=true, where a
 * missing ../shared is a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root (tests run from out/test/..., sources live in test/...). */
export const projectRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project root above ' + __dirname);
    dir = up;
  }
  return dir;
})();

export const sharedDir = process.env.VFIO_LENS_SHARED ?? path.resolve(projectRoot, '..', 'shared');

export function haveShared(): boolean {
  return fs.existsSync(path.join(sharedDir, 'seeds'));
}

/**
 * For a node:test test or suite: returns the skip reason if ../shared is missing, or undefined
 * when it is there. Under CI=true a missing ../shared throws instead.
 */
export function sharedMissing(): string | undefined {
  if (haveShared()) return undefined;
  const msg = `../shared not found at ${sharedDir} (set VFIO_LENS_SHARED to its path)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; under CI=true this is a failure, not a skip`);
  return msg;
}

export function sharedPath(...parts: string[]): string {
  return path.join(sharedDir, ...parts);
}

export function readShared(...parts: string[]): string {
  return fs.readFileSync(sharedPath(...parts), 'utf8');
}

/** Every file of a shared folder (sorted), or [] when ../shared is absent. */
export function listShared(...parts: string[]): string[] {
  const dir = sharedPath(...parts);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

export function seedFiles(): string[] {
  return listShared('seeds').filter((f) => f.endsWith('.txt'));
}

export function corpusRealFiles(): string[] {
  return listShared('corpus', 'real');
}
