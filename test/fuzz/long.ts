/**
 * The long fuzz run (`npm run fuzz`): inputs from the same arbitraries as the seeded pass, at the
 * issue's full sizes, in a worker thread with the CLI's stack size, so that a hang is cut by a
 * watchdog and named instead of stopping the run. Prints inputs tried, failures (each kept as a
 * regression file), and the worst time and memory seen, with the input that caused them.
 *
 *   node out/test/fuzz/long.js [--minutes N] [--inputs N] [--seed N] [--entries reader,diff,csrc,analysis,model]
 *                              [--hang-seconds N] [--no-save]
 */
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { initAnalysis } from '../../server/src/analysis/index';
import { ISSUE_SIZES, expressionShape, textInput } from './arbitraries';
import { checkInput, isModelInput, TEXT_ENTRIES, type FuzzInput } from './entries';
import { describeInput, inputClass, type TextInput } from './inputs';
import { modelInput } from './model';
import { saveRegression } from './regressions';

interface Options {
  minutes: number;
  inputs: number;
  seed: number;
  entries: string[];
  hangSeconds: number;
  save: boolean;
}

interface WorkerData {
  seed: number;
  skip: number;
  entries: string[];
}

type FromWorker =
  | { kind: 'start'; index: number; input: FuzzInput }
  | { kind: 'done'; index: number; ms: number; failure?: string };

function parseOptions(argv: string[]): Options {
  const o: Options = {
    minutes: 10,
    inputs: Infinity,
    seed: Date.now() % 1_000_000,
    entries: [...TEXT_ENTRIES, 'model'],
    hangSeconds: 120,
    save: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--minutes') o.minutes = Number(next());
    else if (a === '--inputs') o.inputs = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--entries') o.entries = next().split(',');
    else if (a === '--hang-seconds') o.hangSeconds = Number(next());
    else if (a === '--no-save') o.save = false;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Input `index` of the run of `seed` (each drawn from its own seed: skipping is free). */
function inputAt(seed: number, index: number, entries: string[]): FuzzInput {
  const text = entries.some((e) => e !== 'model');
  const model = entries.includes('model');
  const arb: fc.Arbitrary<FuzzInput> =
    text && model
      ? fc.oneof(
          { weight: 4, arbitrary: textInput(ISSUE_SIZES) },
          { weight: 1, arbitrary: modelInput(expressionShape(ISSUE_SIZES), 65_536) },
        )
      : model
        ? modelInput(expressionShape(ISSUE_SIZES), 65_536)
        : textInput(ISSUE_SIZES);
  return fc.sample(arb, { seed: (seed * 7919 + index) | 0, numRuns: 1 })[0];
}

async function workerMain(data: WorkerData): Promise<void> {
  await initAnalysis();
  const port = parentPort!;
  const textEntries = data.entries.filter((e) => e !== 'model');
  for (let index = data.skip; ; index++) {
    const input = inputAt(data.seed, index, data.entries);
    port.postMessage({ kind: 'start', index, input } satisfies FromWorker);
    const t0 = process.hrtime.bigint();
    let failure: string | undefined;
    try {
      checkInput(input, isModelInput(input) ? undefined : textEntries);
    } catch (e) {
      failure = (e as Error).message ?? String(e);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    port.postMessage({
      kind: 'done',
      index,
      ms,
      failure,
    } satisfies FromWorker);
  }
}

interface Worst {
  value: number;
  input?: FuzzInput;
}

const nameOf = (input: FuzzInput) =>
  isModelInput(input) ? `model ${input.model}` : describeInput(input as TextInput);
const classOf = (input: FuzzInput) =>
  isModelInput(input) ? `model ${input.model}` : inputClass(input as TextInput);

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const deadline = Date.now() + o.minutes * 60_000;
  const stats = { tried: 0, failures: 0, hangs: 0 };
  const byClass = new Map<string, { tried: number; failed: number; worstMs: number }>();
  const failures = new Map<string, { count: number; example: string; file?: string }>();
  const worstTime: Worst = { value: 0 };
  /** The largest rise of the process's peak RSS during one input (one worker runs at a time). */
  const worstMemory: Worst = { value: 0 };
  const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
  let skip = 0;
  console.log(
    `fuzz: seed ${o.seed}, entries ${o.entries.join(',')}, ${o.minutes} min, hang after ${o.hangSeconds} s`,
  );

  const count = (input: FuzzInput, ms: number, failed: boolean, rssBefore: number) => {
    if (ms > worstTime.value) Object.assign(worstTime, { value: ms, input });
    const rise = peakRssMb() - rssBefore;
    if (rise > worstMemory.value) Object.assign(worstMemory, { value: rise, input });
    const cls = classOf(input);
    const c = byClass.get(cls) ?? { tried: 0, failed: 0, worstMs: 0 };
    c.tried++;
    c.worstMs = Math.max(c.worstMs, ms);
    if (failed) c.failed++;
    byClass.set(cls, c);
  };
  const record = (input: FuzzInput, failure: string) => {
    stats.failures++;
    // one regression file per class and kind of failure
    const kind = `${classOf(input)}: ${failure.replace(/\d+/g, 'N').slice(0, 140)}`;
    const seen = failures.get(kind);
    if (seen) {
      seen.count++;
      return;
    }
    const entry = { count: 1, example: nameOf(input), file: undefined as string | undefined };
    if (o.save)
      entry.file = saveRegression(classOf(input), { issue: 13, found: failure.slice(0, 400), input });
    failures.set(kind, entry);
    console.log(
      `FAIL ${nameOf(input)}\n  ${failure.slice(0, 300)}${entry.file ? `\n  kept: test/fuzz/regressions/${entry.file}` : ''}`,
    );
  };

  while (Date.now() < deadline && stats.tried < o.inputs) {
    // one worker per stretch of inputs; a hang ends it and the next starts past the hanging input
    const worker = new Worker(__filename, {
      workerData: { seed: o.seed, skip, entries: o.entries } satisfies WorkerData,
      // the CLI's stack (node's default), not the bigger one of a worker: the CLI must survive too
      resourceLimits: { stackSizeMb: 0.95, maxOldGenerationSizeMb: 4096 },
    });
    let current: { index: number; input: FuzzInput; started: number; rss: number } | undefined;
    const ended = await new Promise<'hang' | 'exit' | 'done'>((resolve) => {
      const timer = setInterval(() => {
        if (Date.now() >= deadline || stats.tried >= o.inputs) resolve('done');
        else if (current && Date.now() - current.started > o.hangSeconds * 1000) resolve('hang');
      }, 250);
      worker.on('message', (m: FromWorker) => {
        if (m.kind === 'start') {
          current = { index: m.index, input: m.input, started: Date.now(), rss: peakRssMb() };
          return;
        }
        const { input, rss } = current!;
        current = undefined;
        skip = m.index + 1;
        stats.tried++;
        count(input, m.ms, m.failure !== undefined, rss);
        if (m.failure) record(input, m.failure);
        if (stats.tried % 50 === 0) console.log(`  ${stats.tried} inputs, ${stats.failures} failures`);
      });
      worker.on('error', (e) => {
        if (current) {
          stats.tried++;
          count(current.input, Date.now() - current.started, true, current.rss);
          record(current.input, `worker died: ${e.message}`);
          skip = current.index + 1;
          current = undefined;
        }
        resolve('exit');
      });
      worker.on('exit', () => resolve('exit'));
      worker.on('online', () => undefined);
      worker.once('exit', () => clearInterval(timer));
    });
    if (ended === 'hang' && current) {
      stats.tried++;
      stats.hangs++;
      const c = current as { index: number; input: FuzzInput; started: number; rss: number };
      count(c.input, Date.now() - c.started, true, c.rss);
      record(c.input, `did not end within ${o.hangSeconds} s (hang or super-linear time)`);
      skip = c.index + 1;
    }
    await worker.terminate();
  }

  console.log(
    `\ninputs tried: ${stats.tried}; new failures: ${stats.failures} (${failures.size} kinds, ${stats.hangs} hangs)`,
  );
  for (const [cls, c] of [...byClass].sort()) {
    console.log(
      `  ${cls.padEnd(18)} ${String(c.tried).padStart(6)} tried ${String(c.failed).padStart(5)} failed  worst ${c.worstMs.toFixed(0)} ms`,
    );
  }
  for (const [kind, f] of failures)
    console.log(`  failure x${f.count}: ${kind}\n    e.g. ${f.example}${f.file ? ` (${f.file})` : ''}`);
  if (worstTime.input)
    console.log(`worst time: ${worstTime.value.toFixed(0)} ms on ${nameOf(worstTime.input)}`);
  if (worstMemory.input)
    console.log(
      `worst memory: peak RSS ${peakRssMb().toFixed(0)} MB; the largest rise, +${worstMemory.value.toFixed(0)} MB, on ${nameOf(worstMemory.input)}`,
    );
  process.exitCode = stats.failures ? 1 : 0;
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
} else {
  void workerMain(workerData as WorkerData);
}

export const LONG_RUN = path.basename(__filename);
