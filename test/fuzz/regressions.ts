/**
 * Inputs that once failed, kept as regression files the project writes (test/fuzz/regressions/):
 * each holds the description of the input (inputs.ts, model.ts), never the text of a corpus
 * file, with what it found. `npm test` replays every one; `npm run fuzz` adds one per new failure.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../support/shared';
import type { FuzzInput } from './entries';

export interface Regression {
  /** The issue the failure belongs to. */
  issue: number;
  /** What the input found when it was kept ("csrc: nothing throws: RangeError ..."). */
  found: string;
  /** The entry points to replay it on (default: every one its kind of input has). */
  entries?: string[];
  /**
   * Entry points it still fails in a layer not fixed yet, and why: replayed there as a todo test
   * (reported, not failing), and on the other entries as a test.
   */
  known?: { entries: string[]; why: string };
  input: FuzzInput;
}

export const REGRESSION_DIR = path.join(projectRoot, 'test', 'fuzz', 'regressions');

export function loadRegressions(): { file: string; regression: Regression }[] {
  if (!fs.existsSync(REGRESSION_DIR)) return [];
  return fs
    .readdirSync(REGRESSION_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, regression: JSON.parse(fs.readFileSync(path.join(REGRESSION_DIR, f), 'utf8')) }));
}

/** Writes a regression file named by its class and a digest of the input; returns its name. */
export function saveRegression(name: string, regression: Regression): string {
  fs.mkdirSync(REGRESSION_DIR, { recursive: true });
  const body = JSON.stringify(regression, null, 2) + '\n';
  const digest = createHash('sha1').update(JSON.stringify(regression.input)).digest('hex').slice(0, 8);
  const file = `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}-${digest}.json`;
  fs.writeFileSync(path.join(REGRESSION_DIR, file), body);
  return file;
}
