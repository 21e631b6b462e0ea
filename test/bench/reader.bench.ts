/**
 * The reader against its peers, in one run on the same inputs (../shared/corpus/bench a, b, c, c2,
 * each read once into memory): throughput (MB/s, median of 5 after ten warm-up runs) and
 * correctness of vfio-lens readDocument (mail + diff) and parseDiffs alone, parse-diff,
 * gitdiff-parser, jsdiff parsePatch, and `git apply --numstat` (whole process).
 *
 * Correctness: each tool's file diffs as (path, hunks, added, removed) against the reference:
 * for a and b the README's reference totals, file by file as vfio-lens reads them (the bench
 * checks that vfio-lens's totals are the README's); for c and c2, vfio-lens's own reading (it
 * differs from the naive walk only where the README explains). `git apply --numstat` gives no
 * hunks: it is compared on files, added and removed.
 *
 * Each JS measurement runs in a worker thread with a time limit, so a hang or a throw is a
 * result, not the end of the bench. vfio-lens's hunks build their line objects lazily; the row
 * "parseDiffs + lines" materialises every line object, as the peers always do.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BENCH_REFERENCES, meaningful, tools, totals, verdict, type FileCount } from './readerTools';
import { listShared, readShared, sharedMissing, sharedPath } from '../support/shared';

const RUNS = 5;
const TIME_LIMIT_MS = 90_000;

interface Input {
  key: string;
  file: string;
  bytes: number;
  /** README reference totals, when exact (a, b). */
  reference?: { files: number; hunks: number; lines: number; added: number; removed: number };
}

const inputs: Input[] = [
  {
    key: 'a',
    file: 'a_',
    bytes: 0,
    reference: BENCH_REFERENCES.a,
  },
  {
    key: 'b',
    file: 'b_',
    bytes: 0,
    reference: BENCH_REFERENCES.b,
  },
  { key: 'c', file: 'c_', bytes: 0 },
  { key: 'c2', file: 'c2_', bytes: 0 },
];

// ---------------------------------------------------------------- worker side

interface Job {
  tool: string;
  text: string;
}

interface Outcome {
  times?: number[];
  files?: FileCount[];
  error?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const WARM_UP_RUNS = 10;

function measureInWorker(job: Job): Outcome {
  const tool = tools.find((t) => t.name === job.tool)!;
  try {
    // Steady state, the same for every tool: ten warm-up runs (a reader of many small functions
    // is still being optimised after three), then the measured runs back to back. No forced gc():
    // it makes V8 discard optimised code (deopts on "weak objects", pretenuring) and so measured
    // a cold start each time.
    let result = tool.run(job.text);
    for (let k = 1; k < WARM_UP_RUNS; k++) result = tool.run(job.text);
    const times: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const t0 = process.hrtime.bigint();
      result = tool.run(job.text);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { times, files: tool.files(result) };
  } catch (err) {
    return {
      error: `throws: ${String((err as Error)?.message ?? err)
        .split('\n')[0]
        .slice(0, 80)}`,
    };
  }
}

if (!isMainThread) {
  parentPort!.postMessage(measureInWorker(workerData as Job));
}

// ---------------------------------------------------------------- main side

function runWorker(job: Job): Promise<Outcome> {
  return new Promise((resolve) => {
    const w = new Worker(__filename, { workerData: job });
    const timer = setTimeout(() => {
      void w.terminate();
      resolve({ error: `hangs (no result in ${TIME_LIMIT_MS / 1000} s)` });
    }, TIME_LIMIT_MS);
    w.once('message', (m: Outcome) => {
      clearTimeout(timer);
      void w.terminate();
      resolve(m);
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      resolve({ error: `throws: ${e.message.split('\n')[0].slice(0, 80)}` });
    });
  });
}

interface Cell {
  mbps?: number;
  /** Throughput of the fastest run: less sensitive to other load on the machine. */
  bestMbps?: number;
  status: string;
}

function gitApply(input: Input, ref: FileCount[]): Cell {
  const file = sharedPath('corpus', 'bench', input.file);
  const times: number[] = [];
  let out = '';
  for (let k = 0; k <= RUNS; k++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('git', ['apply', '--numstat', file], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      timeout: TIME_LIMIT_MS,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error) return { status: `fails to run: ${r.error.message}` };
    if (r.status !== 0) {
      const why = (r.stderr || '').split('\n').find((l) => l.trim()) ?? `exit ${r.status}`;
      return { status: `stops with an error: ${why.slice(0, 70)}` };
    }
    if (k > 0) times.push(ms);
    out = r.stdout;
  }
  const got: FileCount[] = out
    .split('\n')
    .filter((l) => l)
    .map((l) => {
      const [a, d, path] = l.split('\t');
      return {
        path,
        hunks: 0,
        lines: 0,
        added: a === '-' ? 0 : Number(a),
        removed: d === '-' ? 0 : Number(d),
      };
    });
  return {
    mbps: input.bytes / 1e6 / (median(times) / 1000),
    bestMbps: input.bytes / 1e6 / (Math.min(...times) / 1000),
    status: verdict(ref, got, false) + ' (files, +/-)',
  };
}

function fmt(c: Cell | undefined): string {
  if (!c) return '';
  if (c.mbps === undefined) return c.status;
  return `${c.mbps.toFixed(0).padStart(4)} (${(c.bestMbps ?? 0).toFixed(0)}) MB/s, ${c.status}`;
}

async function main(): Promise<void> {
  const skip = sharedMissing();
  if (skip) {
    console.log(`reader bench skipped: ${skip}`);
    return;
  }
  const names = listShared('corpus', 'bench');
  const texts = new Map<string, string>();
  for (const input of inputs) {
    const name = names.find((n) => n.startsWith(input.file) && !n.endsWith('.sources.txt'));
    if (!name) throw new Error(`no ${input.file}* in corpus/bench`);
    input.file = name;
    const text = readShared('corpus', 'bench', name);
    input.bytes = Buffer.byteLength(text, 'utf8');
    texts.set(input.key, text);
  }
  console.log(
    `reader bench: MB/s = median of ${RUNS} runs after ${WARM_UP_RUNS} warm-up runs, no forced GC between runs (fastest run in parentheses), ` +
      `${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}`,
  );
  const table = new Map<string, Map<string, Cell>>();
  const notes: string[] = [];
  for (const input of inputs) {
    const text = texts.get(input.key)!;
    const outcomes = new Map<string, Outcome>();
    for (const tool of tools) outcomes.set(tool.name, await runWorker({ tool: tool.name, text }));
    const mine = outcomes.get('vfio-lens readDocument')!;
    const ref = meaningful(mine.files ?? []);
    if (input.reference) {
      const t = totals(ref);
      const same = JSON.stringify(t) === JSON.stringify(input.reference);
      notes.push(
        `${input.key}: vfio-lens totals ${JSON.stringify(t)} ${same ? '= the README reference' : `!= README ${JSON.stringify(input.reference)}`}`,
      );
    } else {
      notes.push(`${input.key}: vfio-lens totals (the reference here) ${JSON.stringify(totals(ref))}`);
    }
    for (const tool of tools) {
      const o = outcomes.get(tool.name)!;
      const cell: Cell = o.error
        ? { status: o.error }
        : {
            mbps: input.bytes / 1e6 / (median(o.times!) / 1000),
            bestMbps: input.bytes / 1e6 / (Math.min(...o.times!) / 1000),
            status: verdict(ref, o.files!),
          };
      if (
        tool.name === 'vfio-lens readDocument' &&
        input.reference &&
        !notes[notes.length - 1].includes('= the README')
      ) {
        cell.status = 'wrong (totals differ from the README)';
      }
      if (!table.has(tool.name)) table.set(tool.name, new Map());
      table.get(tool.name)!.set(input.key, cell);
    }
    if (!table.has('git apply --numstat')) table.set('git apply --numstat', new Map());
    table.get('git apply --numstat')!.set(input.key, gitApply(input, ref));
  }

  const width = 30;
  console.log('');
  console.log(
    'tool'.padEnd(width) +
      inputs.map((i) => `${i.key} (${(i.bytes / 1e6).toFixed(1)} MB)`.padEnd(44)).join(''),
  );
  for (const [name, cells] of table) {
    console.log(name.padEnd(width) + inputs.map((i) => fmt(cells.get(i.key)).padEnd(44)).join(''));
  }
  console.log('');
  for (const n of notes) console.log(n);
  console.log('');
  const peers = ['parse-diff', 'gitdiff-parser', 'jsdiff parsePatch'];
  for (const input of inputs) {
    const mine = table.get('vfio-lens readDocument')!.get(input.key)!;
    const alone = table.get('vfio-lens parseDiffs')!.get(input.key)!;
    let best: Cell & { name: string } = { name: '', status: '' };
    for (const p of peers) {
      const c = table.get(p)!.get(input.key)!;
      if (c.mbps !== undefined && c.status === 'correct' && (best.mbps === undefined || c.mbps > best.mbps))
        best = { ...c, name: p };
    }
    const git = table.get('git apply --numstat')!.get(input.key)!;
    const ratio = (a: Cell, b: Cell): string =>
      `${(a.mbps! / b.mbps!).toFixed(2)}x (fastest runs: ${(a.bestMbps! / b.bestMbps!).toFixed(2)}x)`;
    const parts = [`${input.key}: readDocument ${mine.mbps?.toFixed(0) ?? '-'} MB/s`];
    if (best.mbps !== undefined && mine.mbps !== undefined)
      parts.push(
        `${ratio(mine, best)} the fastest correct JS peer (${best.name}, ${best.mbps.toFixed(0)} MB/s)`,
      );
    else parts.push('no JS peer is correct');
    if (best.mbps !== undefined && alone.mbps !== undefined && alone.status === 'correct')
      parts.push(`parseDiffs alone ${ratio(alone, best)}`);
    if (git.mbps !== undefined && mine.mbps !== undefined)
      parts.push(`${ratio(mine, git)} git apply --numstat`);
    else parts.push(`git apply: ${git.status}`);
    console.log(parts.join('; '));
  }
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
