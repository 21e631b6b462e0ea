/** Shared helpers of the analysis tests: analyse a ../shared file or a project sample once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initAnalysis, type AnalysisOutput } from '../../../server/src/analysis/index';
import type { Finding } from '../../../server/src/analysis/types';
import { projectRoot, sharedPath } from '../../support/shared';

const cache = new Map<string, AnalysisOutput & { text: string }>();

export async function analyse(file: string): Promise<AnalysisOutput & { text: string }> {
  await initAnalysis();
  let out = cache.get(file);
  if (!out) {
    const text = fs.readFileSync(file, 'utf8');
    out = { ...analyzeText(text, { file: path.basename(file) }), text };
    cache.set(file, out);
  }
  return out;
}

export const corpus = (name: string) => {
  const dir = sharedPath('corpus', 'real');
  const hit = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith(name)) : undefined;
  return path.join(dir, hit ?? name);
};
export const seed = (prefix: string) => {
  const dir = sharedPath('seeds');
  const hit = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith(prefix)) : undefined;
  return path.join(dir, hit ?? prefix);
};
export const sample = (name: string) => path.join(projectRoot, 'samples', name);

/** The document text a finding's range starts on. */
export function lineOf(text: string, f: Finding): string {
  return text.split('\n')[f.range.start.line] ?? '';
}

export function behaviour(out: AnalysisOutput): Finding[] {
  return out.result.findings.filter((f) => f.kind === 'behaviour-change');
}

/** Devices with a user-visible change among the findings. */
export function visibleDevices(out: AnalysisOutput): string[] {
  return [
    ...new Set(behaviour(out).flatMap((f) => f.changes.filter((c) => !c.internal).map((c) => c.device))),
  ].sort();
}

/** Devices with any change (internal ones included). */
export function anyDevices(out: AnalysisOutput): string[] {
  return [...new Set(behaviour(out).flatMap((f) => f.changes.map((c) => c.device)))].sort();
}

export function hasChange(
  out: AnalysisOutput,
  device: string,
  steps: string[],
  before: RegExp,
  after: RegExp,
): boolean {
  return behaviour(out).some((f) =>
    f.changes.some(
      (c) =>
        c.device === device &&
        c.steps.join(';') === steps.join(';') &&
        before.test(c.before.text) &&
        after.test(c.after.text),
    ),
  );
}
