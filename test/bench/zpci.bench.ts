/**
 * Benchmark of the zPCI model and its analysis: every pair of QEMU versions for every zPCI device
 * kind at depth 4 (visible, then with internal differences: time, product states, transitions,
 * differences), and analyzeText on the seed QEMU series (seeds/004_*) and on bench `a` (the QEMU
 * hw/ mails of v7.2.0..v8.0.0), each with its time and its zPCI findings.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { analyzeText, initAnalysis } from '../../server/src/analysis/index';
import { zpciCatalogue } from '../../server/src/analysis/zpciRuns';
import { ZPCI_DEVICE_KINDS, ZPCI_VERSION_SPECS } from '../../server/src/model/zpci';
import { haveShared, listShared, sharedPath } from '../support/shared';

function modelPairs(): void {
  const c = zpciCatalogue();
  const ids = ZPCI_VERSION_SPECS.map((v) => v.id);
  const pairs: [string, string][] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i], ids[j]]);
  console.log(
    `zPCI model: ${pairs.length} pairs of ${ids.length} QEMU versions x ${ZPCI_DEVICE_KINDS.length} kinds, depth 4`,
  );
  for (const internal of [false, true]) {
    let states = 0;
    let transitions = 0;
    let differences = 0;
    const perPair: number[] = [];
    const t0 = performance.now();
    for (const [a, b] of pairs) {
      const t = performance.now();
      for (const d of ZPCI_DEVICE_KINDS) {
        const r = c.compare(a, b, d.id, { depth: 4, internal });
        states += r.stats.states;
        transitions += r.stats.transitions;
        differences += r.differences.length;
      }
      perPair.push(performance.now() - t);
    }
    const total = performance.now() - t0;
    const sorted = [...perPair].sort((x, y) => x - y);
    console.log(
      `${internal ? 'visible+internal' : 'visible'}: total ${total.toFixed(0)} ms, per pair mean ` +
        `${(total / pairs.length).toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, ` +
        `max ${sorted[sorted.length - 1].toFixed(1)} ms; ${states} product states, ${transitions} transitions, ` +
        `${differences} differences`,
    );
  }
}

/** analyzeText on each file: time, and its findings of the zPCI producers and lints. */
function analyse(label: string, files: string[]): void {
  let bytes = 0;
  const codes = new Map<string, number>();
  let zpciCases = 0;
  const t0 = performance.now();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    bytes += text.length;
    const out = analyzeText(text, { file: f });
    for (const x of out.result.findings) {
      const zpci =
        x.changes.some((c) => 'model' in c) ||
        /^(zpci-|pcistb-)/.test(x.code) ||
        /^not modelled: /.test(x.message);
      if (!zpci) continue;
      codes.set(x.code, (codes.get(x.code) ?? 0) + 1);
      zpciCases += x.changes.length;
    }
  }
  const ms = performance.now() - t0;
  const counts = [...codes].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.log(
    `${label}: ${files.length} file(s), ${(bytes / 2 ** 20).toFixed(2)} MiB, ${ms.toFixed(0)} ms; ` +
      `zPCI findings: ${counts} (${zpciCases} cases)`,
  );
}

async function main(): Promise<void> {
  await initAnalysis();
  modelPairs();
  if (!haveShared()) {
    console.log('zpci bench: ../shared not found, no analysis measured');
    process.exit(process.env.CI === 'true' ? 1 : 0);
  }
  const seed = listShared('seeds').filter((f) => f.startsWith('004_'));
  analyse(
    'seed 004 (the ISM RFC cover letter)',
    seed.map((f) => sharedPath('seeds', f)),
  );
  const a = listShared('corpus', 'bench').filter((f) => /^a_.*\.mbox$/.test(f));
  analyse(
    'bench a (QEMU v7.2.0..v8.0.0 hw/ mails)',
    a.map((f) => sharedPath('corpus', 'bench', f)),
  );
  console.log(`heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
