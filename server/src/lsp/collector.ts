/**
 * V8's full collector, where the process allows it: dist/cli.js sets --expose-gc for the language
 * server and its analysis process before their bundle is compiled (V8 checks a code cache against
 * the flags it was made under, so a flag set later would have every cache rejected).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collector: (() => void) | null | undefined;

export function fullCollector(): (() => void) | undefined {
  if (collector !== undefined) return collector ?? undefined;
  collector = (globalThis as { gc?: () => void }).gc ?? null;
  if (!collector) {
    try {
      // the flag set at run time shows the collector to contexts made after it, not to this one
      const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
      collector = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collector = null;
    }
  }
  return collector ?? undefined;
}

/**
 * One full collection that also compacts the old space: a plain one moves few pages (with 30 MB
 * live after the analysis process dropped its older cache entries, its old space kept 121 MB, and
 * its RSS with it). The flag is V8's default again right after, so the code cache's check of the
 * flags sees the flags it was made under. False where the collector is not exposed.
 */
export function compactingCollection(): boolean {
  const gc = fullCollector();
  if (!gc) return false;
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
  return true;
}
