/**
 * Benchmark: exhaustive comparison of all 21 pairs of the 7 kernel variants, for all 7 device
 * kinds, at depth 6 (visible observations, then with internal ones). Reports the total time,
 * the time per pair, the product states explored and the differences found.
 */
import { performance } from 'node:perf_hooks';
import { initCParser } from '../../server/src/csrc/treeSitter';
import { comparePolicies } from '../../server/src/analysis/modelRuns';
import { DEVICE_KIND_IDS, KERNEL_IDS } from '../../server/src/model/index';

async function main(): Promise<void> {
  await initCParser();
  const pairs: [string, string][] = [];
  for (let i = 0; i < KERNEL_IDS.length; i++) {
    for (let j = i + 1; j < KERNEL_IDS.length; j++) pairs.push([KERNEL_IDS[i], KERNEL_IDS[j]]);
  }
  console.log(`model: ${pairs.length} pairs x ${DEVICE_KIND_IDS.length} device kinds, depth 6`);
  for (const internal of [false, true]) {
    let states = 0;
    let transitions = 0;
    let differences = 0;
    const perPair: number[] = [];
    const t0 = performance.now();
    for (const [a, b] of pairs) {
      const t = performance.now();
      const r = comparePolicies(a as (typeof KERNEL_IDS)[number], b as (typeof KERNEL_IDS)[number], {
        depth: 6,
        internal,
      });
      perPair.push(performance.now() - t);
      states += r.stats?.states ?? 0;
      transitions += r.stats?.transitions ?? 0;
      differences += r.differences.length;
      if (!internal) {
        console.log(
          `  ${a.padEnd(15)} ${b.padEnd(15)} ${String(r.differences.length).padStart(4)} differences` +
            `  ${String(r.stats?.states).padStart(4)} states  ${perPair[perPair.length - 1].toFixed(1)} ms`,
        );
      }
    }
    const total = performance.now() - t0;
    const sorted = [...perPair].sort((x, y) => x - y);
    console.log(
      `${internal ? 'visible+internal' : 'visible'}: total ${total.toFixed(0)} ms, ` +
        `per pair mean ${(total / pairs.length).toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, ` +
        `max ${sorted[sorted.length - 1].toFixed(1)} ms; ${states} product states, ${transitions} transitions, ` +
        `${differences} differences`,
    );
  }
  console.log(`heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
