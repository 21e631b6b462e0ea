/**
 * Time of `analyze` on each seed and on the largest corpus files: the first analysis in a fresh
 * process (tree-sitter and model warm-up included), the median of later ones, and the whole CLI
 * process (`node dist/cli.js analyze FILE --format json`), all measured in this one run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initAnalysis } from '../../server/src/analysis/index';
import { haveShared, listShared, projectRoot, sharedPath } from '../support/shared';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  if (!haveShared()) {
    console.log('analyze bench: ../shared not found, nothing to measure');
    process.exit(process.env.CI === 'true' ? 1 : 0);
  }
  const seeds = listShared('seeds').map((f) => sharedPath('seeds', f));
  const corpus = listShared('corpus', 'real')
    .map((f) => sharedPath('corpus', 'real', f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)
    .slice(0, 5);
  const files = [...seeds, ...corpus, path.join(projectRoot, 'samples', 'sample-series.mbox')];
  const cli = path.join(projectRoot, 'dist', 'cli.js');

  const t0 = performance.now();
  await initAnalysis();
  console.log(`tree-sitter-c init: ${(performance.now() - t0).toFixed(0)} ms`);
  console.log(
    'file                                         bytes  findings  first ms  warm median ms  CLI process ms',
  );
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    let t = performance.now();
    const out = analyzeText(text, { file: f });
    const first = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < 7; i++) {
      t = performance.now();
      analyzeText(text + '\n'.repeat(i + 1), { file: f }); // a new version, as an edit makes
      warm.push(performance.now() - t);
    }
    t = performance.now();
    const r = spawnSync(process.execPath, [cli, 'analyze', f, '--format', 'json'], { encoding: 'utf8' });
    const proc = performance.now() - t;
    console.log(
      `${path.basename(f).slice(0, 44).padEnd(44)} ${String(text.length).padStart(7)} ${String(
        out.result.findings.length,
      ).padStart(9)} ${first.toFixed(1).padStart(9)} ${median(warm).toFixed(1).padStart(15)} ${
        r.status === 0 ? proc.toFixed(0).padStart(15) : `exit ${r.status}`.padStart(15)
      }`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
