/**
 * Benchmark: every pair of the one model's kernel variants compared on every device kind at the
 * default depth of each exploration (the Command-register story's at depth 6 on its seven kinds,
 * the config space's at depth 3 on every kind), as `vfio-lens compare` runs them; then the
 * Command-register exploration again with internal observations. Reports per pair the time, the
 * product states of each exploration and the differences; the totals. `VFIO_LENS_BENCH_PAIRS=N`
 * runs only the first N pairs (for a quick look; the report says so).
 */
import { performance } from 'node:perf_hooks';
import { initCParser } from '../../server/src/csrc/treeSitter';
import { comparePolicies } from '../../server/src/analysis/modelRuns';
import { DEVICE_KIND_IDS, KERNEL_IDS } from '../../server/src/model/index';

async function main(): Promise<void> {
  await initCParser();
  const all: [string, string][] = [];
  for (let i = 0; i < KERNEL_IDS.length; i++) {
    for (let j = i + 1; j < KERNEL_IDS.length; j++) all.push([KERNEL_IDS[i], KERNEL_IDS[j]]);
  }
  const limit = Number(process.env.VFIO_LENS_BENCH_PAIRS ?? all.length);
  const pairs = all.slice(0, Number.isInteger(limit) && limit > 0 ? limit : all.length);
  console.log(
    `model: ${pairs.length} of ${all.length} pairs x ${DEVICE_KIND_IDS.length} device kinds, default depths` +
      (pairs.length < all.length ? ' (VFIO_LENS_BENCH_PAIRS cut the list)' : ''),
  );
  for (const internal of [false, true]) {
    const parts = new Map<string, { states: number; transitions: number }>();
    let differences = 0;
    const perPair: number[] = [];
    const t0 = performance.now();
    for (const [a, b] of pairs) {
      const t = performance.now();
      const r = comparePolicies(a, b, internal ? { internal, part: 'command' } : {});
      perPair.push(performance.now() - t);
      differences += r.differences.length;
      const shown: string[] = [];
      for (const p of r.stats?.parts ?? []) {
        const sum = parts.get(p.part) ?? { states: 0, transitions: 0 };
        sum.states += p.states;
        sum.transitions += p.transitions;
        parts.set(p.part, sum);
        shown.push(`${p.part} ${String(p.states).padStart(6)} states`);
      }
      if (!internal)
        console.log(
          `  ${a.padEnd(15)} ${b.padEnd(15)} ${String(r.differences.length).padStart(4)} differences  ` +
            `${shown.join('  ')}  ${perPair[perPair.length - 1].toFixed(0)} ms`,
        );
    }
    const total = performance.now() - t0;
    const sorted = [...perPair].sort((x, y) => x - y);
    const sums = [...parts].map(([p, s]) => `${p}: ${s.states} product states, ${s.transitions} transitions`);
    console.log(
      `${internal ? 'command, visible+internal' : 'visible'}: total ${total.toFixed(0)} ms, ` +
        `per pair mean ${(total / pairs.length).toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, ` +
        `max ${sorted[sorted.length - 1].toFixed(1)} ms; ${sums.join('; ')}; ${differences} differences`,
    );
  }
  console.log(`heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
