/**
 * Cold start (issue 16), every figure in one run, each next to its floor with the ratio and the
 * goal: the CLI's whole process (`analyze` of one patch mail, of seed 002, of a one-line text
 * file) against `node -e 0` and `vfio-lens --help`; the language server over stdio from
 * `initialize` to the first diagnostics of seed 002 and its first hover, against the same server
 * warm, and seed 002 opened 7 s after the server started; the reader's first parse in a fresh
 * process on corpus/bench a and b against the fastest correct JS peer's first parse in a fresh
 * process (and both warm); the server's RSS after
 * opening every corpus and seed file and after closing them; the size of each bundle.
 *
 * Every figure is a median over several fresh processes, run round-robin so that the machine's
 * other load falls on all of them alike; the spread (min-max) follows each median. CPU time
 * (user+sys, from /usr/bin/time when it exists) is printed beside the wall time: on a shared
 * machine it moves less. Nothing here is a test: a goal not met is reported, not failed.
 *
 * `cold.bench.js --first-parse TOOL FILE` is the child that times one reader's first parse.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processTreeCpu, processTreePss, processTreeRss } from './processTree';
import { analysisTimes } from './serverLogs';
import { BENCH_REFERENCES, meaningful, tools, totals, verdict, type FileCount } from './readerTools';
import { LspClient, cliPath } from '../protocol/lspClient';
import type { ServerStats } from '../../server/src/lsp/protocol';
import { RELEASE_AFTER_MS } from '../../server/src/lsp/analysisRunner';
import { EARLY_IDLE_MS } from '../../server/src/lsp/analysisProcess';
import {
  corpusRealFiles,
  haveShared,
  listShared,
  projectRoot,
  readShared,
  seedFiles,
  sharedPath,
} from '../support/shared';

const ROUNDS = Number(process.env.VFIO_LENS_COLD_ROUNDS ?? 9);
const LSP_ROUNDS = Number(process.env.VFIO_LENS_COLD_LSP_ROUNDS ?? 5);
const PARSE_ROUNDS = Number(process.env.VFIO_LENS_COLD_PARSE_ROUNDS ?? 5);
const SEED = '002_4b73f9f607840218.txt';
/** One patch mail: the detached-VF v2 proposal (one patch, four behaviour changes). */
const ONE_PATCH = 'k02_detached-vf-v2_patch.eml';
const WARM_UP_RUNS = 10;
const WARM_RUNS = 5;

// ------------------------------------------------------------------ figures

interface Sample {
  wall: number;
  cpu?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const f0 = (v: number) => v.toFixed(v < 10 ? 1 : 0);
function spread(xs: number[]): string {
  return `${f0(median(xs))} (${f0(Math.min(...xs))}-${f0(Math.max(...xs))})`;
}

/** "412 (380-500) ms, cpu 300 (280-350)" */
function describe(samples: Sample[]): string {
  const cpu = samples.map((s) => s.cpu).filter((c): c is number => c !== undefined);
  return (
    `${spread(samples.map((s) => s.wall))} ms` + (cpu.length === samples.length ? `, cpu ${spread(cpu)}` : '')
  );
}

const rows: string[][] = [];
const verdicts: string[] = [];

function row(figure: string, value: string, floor: string, ratio: string, goal: string): void {
  rows.push([figure, value, floor, ratio, goal]);
}

function goalLine(what: string, met: boolean, detail: string): void {
  verdicts.push(`${met ? 'met    ' : 'NOT met'}  ${what}: ${detail}`);
}

function printTable(): void {
  const head = ['figure', 'measured', 'floor', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(fmt(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
}

// ------------------------------------------------------------------ whole processes

const timeBin = ['/usr/bin/time', '/bin/time'].find((p) => fs.existsSync(p));

/** One fresh process: wall time, and CPU time (user+sys) when /usr/bin/time is there. */
function runOnce(
  args: string[],
  env: Record<string, string | undefined> = {},
): Sample & { status: number | null; stdout: string } {
  const stats = path.join(os.tmpdir(), `vfio-lens-cold-${process.pid}.time`);
  const [cmd, argv] = timeBin
    ? [timeBin, ['-o', stats, '-f', '%U %S', process.execPath, ...args]]
    : [process.execPath, args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  const wall = performance.now() - t0;
  let cpu: number | undefined;
  if (timeBin) {
    const m = /([\d.]+) ([\d.]+)\s*$/.exec(fs.readFileSync(stats, 'utf8'));
    if (m) cpu = (Number(m[1]) + Number(m[2])) * 1000;
    fs.rmSync(stats, { force: true });
  }
  return { wall, cpu, status: r.status, stdout: r.stdout };
}

const UNSET_NODE = 'node -e 0, NODE_EXTRA_CA_CERTS unset';
const UNSET_SEED = `analyze seed ${SEED.slice(0, 3)}, NODE_EXTRA_CA_CERTS unset`;

interface ProcessCase {
  label: string;
  args: string[];
  /** Over the bench's environment; an undefined value unsets the variable. */
  env?: Record<string, string | undefined>;
  samples: Sample[];
  /** What the last run printed, summarised (to show the run did its work). */
  check?: (stdout: string) => string;
  note?: string;
}

function processes(oneLine: string): Map<string, ProcessCase> {
  const seed = sharedPath('seeds', SEED);
  const mail = sharedPath('corpus', 'real', ONE_PATCH);
  const findings = (out: string) => `${(out.match(/^\S+:\d+:\d+: \w+: /gm) ?? []).length} findings`;
  const cases: ProcessCase[] = [
    { label: 'node -e 0', args: ['-e', '0'], samples: [] },
    { label: 'vfio-lens --help', args: [cliPath, '--help'], samples: [] },
    { label: 'analyze one-line.txt', args: [cliPath, 'analyze', oneLine], samples: [], check: findings },
    {
      label: `analyze ${ONE_PATCH.slice(0, 3)}`,
      args: [cliPath, 'analyze', mail],
      samples: [],
      check: findings,
    },
    {
      label: `analyze seed ${SEED.slice(0, 3)}`,
      args: [cliPath, 'analyze', seed],
      samples: [],
      check: findings,
    },
    {
      label: `analyze seed ${SEED.slice(0, 3)}, no code cache`,
      args: [cliPath, 'analyze', seed],
      env: { VFIO_LENS_CODE_CACHE: 'off' },
      samples: [],
      check: findings,
    },
  ];
  // Node 20 reads and parses NODE_EXTRA_CA_CERTS at every start (this machine sets it): both
  // processes again without it, to show what Node's own start is
  if (process.env.NODE_EXTRA_CA_CERTS)
    cases.push(
      { label: UNSET_NODE, args: ['-e', '0'], env: { NODE_EXTRA_CA_CERTS: undefined }, samples: [] },
      {
        label: UNSET_SEED,
        args: [cliPath, 'analyze', seed],
        env: { NODE_EXTRA_CA_CERTS: undefined },
        samples: [],
        check: findings,
      },
    );
  // one untimed run each (disk cache, and any cache the CLI keeps), then round-robin
  for (const c of cases) {
    const r = runOnce(c.args, c.env);
    if (r.status !== 0 && !c.label.startsWith('analyze one-line'))
      throw new Error(`${c.label} exited ${r.status}`);
    c.note = c.check?.(r.stdout);
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const c of cases) c.samples.push(runOnce(c.args, c.env));
  }
  return new Map(cases.map((c) => [c.label, c]));
}

function reportProcesses(oneLine: string): void {
  const p = processes(oneLine);
  const node = p.get('node -e 0')!;
  const help = p.get('vfio-lens --help')!;
  const wallOf = (c: ProcessCase) => median(c.samples.map((s) => s.wall));
  const cpuOf = (c: ProcessCase) => {
    const cpu = c.samples.map((s) => s.cpu).filter((x): x is number => x !== undefined);
    return cpu.length ? median(cpu) : undefined;
  };
  const ratio = (a: ProcessCase, b: ProcessCase) => {
    const cpuA = cpuOf(a);
    const cpuB = cpuOf(b);
    return (
      `${(wallOf(a) / wallOf(b)).toFixed(1)}x` + (cpuA && cpuB ? ` (cpu ${(cpuA / cpuB).toFixed(1)}x)` : '')
    );
  };
  row('CLI: node -e 0 (the floor)', describe(node.samples), '', '', '');
  row('CLI: vfio-lens --help', describe(help.samples), `node -e 0`, ratio(help, node), '');
  for (const key of [`analyze ${ONE_PATCH.slice(0, 3)}`, `analyze seed ${SEED.slice(0, 3)}`]) {
    const c = p.get(key)!;
    const r = wallOf(c) / wallOf(node);
    row(`CLI: ${key} (${c.note}), whole process`, describe(c.samples), 'node -e 0', ratio(c, node), '<= 2x');
    goalLine(`CLI ${key}, whole process, at most 2x node -e 0`, r <= 2, `${r.toFixed(2)}x`);
  }
  const uncached = p.get(`analyze seed ${SEED.slice(0, 3)}, no code cache`)!;
  row(
    `CLI: analyze seed ${SEED.slice(0, 3)} with VFIO_LENS_CODE_CACHE=off`,
    describe(uncached.samples),
    'node -e 0',
    ratio(uncached, node),
    '',
  );
  const [unsetNode, unsetSeed] = [p.get(UNSET_NODE), p.get(UNSET_SEED)];
  if (unsetNode && unsetSeed) {
    row(`CLI: ${UNSET_NODE}`, describe(unsetNode.samples), 'node -e 0', ratio(unsetNode, node), '');
    row(`CLI: ${UNSET_SEED}`, describe(unsetSeed.samples), UNSET_NODE, ratio(unsetSeed, unsetNode), '');
  }
  const one = p.get('analyze one-line.txt')!;
  row(
    `CLI: analyze of a one-line text file (${one.note})`,
    describe(one.samples),
    'vfio-lens --help',
    ratio(one, help),
    '',
  );
}

// ------------------------------------------------------------------ language server

function languageOf(file: string): string {
  if (/\.(mbox|eml)$/.test(file)) return 'patch-mail';
  if (/\.(patch|diff)$/.test(file)) return 'diff';
  return 'plaintext';
}

/** Where to hover in the seed: the first `is_virtfn` (a knowledge symbol). */
function hoverPosition(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('is_virtfn'));
  return { line, character: lines[line].indexOf('is_virtfn') + 2 };
}

async function timeHover(client: LspClient, uri: string, position: object): Promise<number> {
  const t0 = performance.now();
  const h = await client.request('textDocument/hover', { textDocument: { uri }, position });
  if (!h) throw new Error('the hover on is_virtfn returned nothing');
  return performance.now() - t0;
}

/** How long after its start the server gets its first document in `reportLateOpen`. */
const LATE_OPEN_MS = 7000;
const LATE_ROUNDS = 3;

/**
 * The first patch opened a while after the server started, as an editor that starts it with a
 * folder of patches gives it one when the reviewer opens it: the server's early analysis process
 * waits EARLY_IDLE_MS for it. Beside it, in the same rounds, a server that let that process go
 * after 5 s (VFIO_LENS_EARLY_IDLE_MS=5000, as before), whose first document starts a new one.
 */
async function reportLateOpen(): Promise<void> {
  const seed = readShared('seeds', SEED);
  const kept: number[] = [];
  const letGo: number[] = [];
  for (let i = 0; i < LATE_ROUNDS; i++) {
    for (const [times, env] of [
      [kept, {}],
      [letGo, { VFIO_LENS_EARLY_IDLE_MS: '5000' }],
    ] as const) {
      const client = await LspClient.start({ env });
      try {
        await sleep(LATE_OPEN_MS);
        const uri = 'file:///bench/cold/late/seed-002.txt';
        const diagnostics = client.nextDiagnostics(uri, 1);
        const t0 = performance.now();
        client.open(uri, 'plaintext', seed);
        if ((await diagnostics).length === 0) throw new Error('the seed got no diagnostics');
        times.push(performance.now() - t0);
      } finally {
        await client.stop();
      }
    }
  }
  row(
    `LSP: seed ${SEED.slice(0, 3)} opened ${LATE_OPEN_MS / 1000} s after the server started -> diagnostics`,
    `${spread(kept)} ms (the early analysis process waits ${EARLY_IDLE_MS / 1000} s)`,
    `let go after 5 s: ${spread(letGo)} ms (a new process)`,
    `${(median(letGo) / median(kept)).toFixed(2)}x`,
    '',
  );
}

async function reportServer(): Promise<void> {
  const seed = readShared('seeds', SEED);
  const position = hoverPosition(seed);
  const init: number[] = [];
  const first: number[] = [];
  const firstCpu: number[] = [];
  const hover: number[] = [];
  const warmOpen: number[] = [];
  const warmHover: number[] = [];
  /** The first document's job in the analysis process, as the server logged it (its own time). */
  const firstJob: number[] = [];
  for (let i = 0; i < LSP_ROUNDS; i++) {
    const t0 = performance.now();
    // the default initialisation, as an editor sends it (no debounce setting: didOpen is never debounced)
    const client = await LspClient.start();
    try {
      init.push(performance.now() - t0);
      const uri = 'file:///bench/cold/seed-002.txt';
      const diagnostics = client.nextDiagnostics(uri, 1);
      client.open(uri, 'plaintext', seed);
      const d = await diagnostics;
      first.push(performance.now() - t0);
      const cpu = client.child.pid === undefined ? undefined : processTreeCpu(client.child.pid);
      if (cpu !== undefined) firstCpu.push(cpu);
      if (d.length === 0) throw new Error('the seed got no diagnostics');
      const [job] = analysisTimes(client, new Set([uri]));
      if (job !== undefined) firstJob.push(job);
      hover.push(await timeHover(client, uri, position));
      for (let k = 0; k < 5; k++) {
        const u = `file:///bench/cold/warm-${k}.txt`;
        const done = client.nextDiagnostics(u, 1);
        const t = performance.now();
        client.open(u, 'plaintext', seed);
        await done;
        warmOpen.push(performance.now() - t);
        warmHover.push(await timeHover(client, u, position));
        client.close(u);
      }
    } finally {
      await client.stop();
    }
  }
  const ms = (xs: number[]) => `${spread(xs)} ms`;
  const firstMs = median(first);
  row('LSP: spawn + initialize -> its answer', ms(init), '', '', '');
  row(
    `LSP: initialize -> first diagnostics of seed ${SEED.slice(0, 3)}`,
    ms(first) +
      (firstCpu.length === first.length ? `, cpu of the server and its analysis ${spread(firstCpu)}` : ''),
    `warm didOpen -> diagnostics ${f0(median(warmOpen))} ms`,
    `${(firstMs / median(warmOpen)).toFixed(1)}x`,
    '< 150 ms',
  );
  goalLine(
    'LSP initialize -> first diagnostics of seed 002 under 150 ms',
    firstMs < 150,
    `${f0(firstMs)} ms`,
  );
  if (firstJob.length === first.length) {
    // where the first diagnostics' time goes: the server's start, then the job in the analysis process
    const waits = first.map((f, k) => f - firstJob[k]);
    row(
      `LSP: of that, the first job in the analysis process`,
      ms(firstJob),
      `before it: ${ms(waits)} (the server's start and its answer, ${f0(median(init))} ms; the analysis process's start; the messages)`,
      '',
      '',
    );
  }
  const hoverMs = median(hover);
  row(
    'LSP: first hover after start (is_virtfn)',
    ms(hover),
    `warm hover ${median(warmHover).toFixed(2)} ms`,
    `${(hoverMs / median(warmHover)).toFixed(1)}x`,
    '< 20 ms',
  );
  goalLine('LSP first hover after start under 20 ms', hoverMs < 20, `${f0(hoverMs)} ms`);
}

/** The server's RSS with its analysis process's. */
function rssOf(pid: number): number {
  return processTreeRss(pid) ?? NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const serverStats = (client: LspClient) => client.request<ServerStats>('vfioLens/stats', null);

async function reportMemory(): Promise<void> {
  if (!fs.existsSync('/proc/self/status')) {
    row('LSP: RSS', 'no /proc here: not measured', '', '', '');
    return;
  }
  // the level at rest is the server's once its early analysis process has gone: a second here,
  // not the EARLY_IDLE_MS a server without a document waits for one
  const client = await LspClient.start({ env: { VFIO_LENS_EARLY_IDLE_MS: '1000' } });
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  try {
    const pid = client.child.pid!;
    // the level once the server has settled after `initialized`, at rest: the analysis process
    // its loader started early has gone (a server without a document lets it go after 5 s)
    await sleep(1000);
    await client.analysisProcessEnded(30_000);
    const start = rssOf(pid);
    const startPss = processTreePss(pid);
    // the level after a first document, analysed and closed (the analysis process started and ended)
    const first = 'file:///bench/cold/first.txt';
    const analysed = client.nextDiagnostics(first, 1);
    client.open(first, 'plaintext', readShared('seeds', SEED));
    await analysed;
    client.close(first);
    // opened again at once: the analysis process stays a while after the last close (RELEASE_AFTER_MS)
    const t0Again = performance.now();
    const again = client.nextDiagnostics(first, 1);
    client.open(first, 'plaintext', readShared('seeds', SEED));
    await again;
    const reopenMs = performance.now() - t0Again;
    client.close(first);
    // the level once that process has ended
    await client.analysisProcessEnded(RELEASE_AFTER_MS + 30_000);
    await sleep(500);
    const afterFirst = rssOf(pid);
    row(
      'LSP: seed 002 closed and opened again at once -> diagnostics',
      `${reopenMs.toFixed(1)} ms`,
      'the analysis process kept for the next document',
      '',
      '',
    );
    const all = [
      ...seedFiles().map((f) => ({ name: f, text: readShared('seeds', f) })),
      ...corpusRealFiles().map((f) => ({ name: f, text: readShared('corpus', 'real', f) })),
    ];
    const uris = all.map((f, i) => `file:///bench/cold/all/${i}/${f.name}`);
    await Promise.all(
      all.map((f, i) => {
        const p = client.nextDiagnostics(uris[i], 1);
        client.open(uris[i], languageOf(f.name), f.text);
        return p;
      }),
    );
    const open = rssOf(pid);
    const openPss = processTreePss(pid);
    // the same files open, the server idle: its analysis process, idle a second after its last job,
    // keeps its newest cache entries and compacts its heap (lsp/analysisRunner.ts)
    const trimsBefore = (await serverStats(client)).analysisTrims;
    let trimmed = false;
    for (let t = 0; t < 10_000 && !trimmed; t += 100) {
      await sleep(100);
      trimmed = (await serverStats(client)).analysisTrims > trimsBefore;
    }
    await sleep(250);
    const idle = rssOf(pid);
    const idlePss = processTreePss(pid);
    for (const u of uris) client.close(u);
    // the analysis process ends RELEASE_AFTER_MS after the last close; then V8 gives the server's
    // memory back lazily: watch for 10 s more and keep the lowest level
    const closedAt = performance.now();
    await client.analysisProcessEnded(RELEASE_AFTER_MS + 30_000);
    const releasedAfter = performance.now() - closedAt;
    let closed = rssOf(pid);
    let settledAt = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 10_000) {
      await sleep(250);
      const now = rssOf(pid);
      if (now < closed) {
        closed = now;
        settledAt = performance.now() - t0;
      }
    }
    const startText = `start ${mb(start)} (${mb(afterFirst)} after a first document)`;
    // RSS counts the pages both processes share (the node binary's, 34-40 MB) in each; PSS once
    const pss = (b: number | undefined) => (b === undefined ? '' : `; PSS ${mb(b)}`);
    const pssNote = startPss === undefined ? '' : ` (PSS, shared pages counted once: start ${mb(startPss)})`;
    row(
      `LSP: RSS after opening all ${all.length} corpus and seed files`,
      mb(open) + pss(openPss),
      startText + pssNote,
      `${(open / start).toFixed(1)}x`,
      '<= 150 MB',
    );
    goalLine(`server RSS with all ${all.length} files open at most 150 MB`, open <= 150 * 1048576, mb(open));
    row(
      `LSP: RSS with them open, idle (${trimmed ? 'the analysis process trimmed' : 'no trim in 10 s'})`,
      mb(idle) + pss(idlePss),
      startText + pssNote,
      `${(idle / start).toFixed(1)}x`,
      '<= 150 MB',
    );
    goalLine(
      `server RSS with all ${all.length} files open, once idle, at most 150 MB`,
      idle <= 150 * 1048576,
      mb(idle),
    );
    row(
      'LSP: RSS after closing them (lowest in 10 s once the analysis process ended)',
      `${mb(closed)} (ended after ${(releasedAfter / 1000).toFixed(1)} s, lowest at ${(settledAt / 1000).toFixed(1)} s more)`,
      startText,
      `${(closed / start).toFixed(2)}x`,
      '<= 1.10x',
    );
    goalLine(
      'server RSS after closing them within 10% of its start',
      closed <= start * 1.1,
      `${mb(closed)} vs ${mb(start)}`,
    );
  } finally {
    await client.stop();
  }
}

// ------------------------------------------------------------------ the reader's first parse

interface ParseOutcome {
  first: number;
  /** CPU time of the first parse (moves less than wall time on a shared machine). */
  firstCpu: number;
  warm: number;
  files?: FileCount[];
  error?: string;
}

/** The child: one tool's first parse of one file in this fresh process, then its warm median. */
function firstParseChild(toolName: string, file: string): void {
  const tool = tools.find((t) => t.name === toolName);
  if (!tool) throw new Error(`no tool "${toolName}"`);
  const text = fs.readFileSync(file, 'utf8');
  const out: ParseOutcome = { first: NaN, firstCpu: NaN, warm: NaN };
  try {
    let t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let result = tool.run(text);
    out.first = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    out.firstCpu = (c.user + c.system) / 1000;
    for (let k = 1; k < WARM_UP_RUNS; k++) result = tool.run(text);
    const times: number[] = [];
    for (let k = 0; k < WARM_RUNS; k++) {
      t0 = process.hrtime.bigint();
      result = tool.run(text);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    out.warm = median(times);
    out.files = tool.files(result);
  } catch (e) {
    out.error = `throws: ${String((e as Error)?.message ?? e)
      .split('\n')[0]
      .slice(0, 80)}`;
  }
  process.stdout.write(JSON.stringify(out));
}

function runChild(toolName: string, file: string): Promise<ParseOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [__filename, '--first-parse', toolName, file], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ParseOutcome);
      } catch {
        resolve({ first: NaN, firstCpu: NaN, warm: NaN, error: 'no result (hangs or crashes)' });
      }
    });
  });
}

/** Our first parse as the product runs it: `vfio-lens stats FILE --repeat 1` (parseMs, in-process). */
function cliFirstParse(file: string): { ms: number; totals: Record<string, number> } {
  const r = runOnce([cliPath, 'stats', file, '--format', 'json']);
  if (r.status !== 0) throw new Error(`vfio-lens stats ${file} exited ${r.status}`);
  const s = JSON.parse(r.stdout) as Record<string, number> | Record<string, number>[];
  const one = Array.isArray(s) ? s[0] : s;
  return { ms: one.parseMs, totals: one };
}

async function reportReader(): Promise<void> {
  const names = listShared('corpus', 'bench');
  const peers = ['parse-diff', 'gitdiff-parser', 'jsdiff parsePatch'];
  for (const key of ['a', 'b'] as const) {
    const name = names.find((n) => n.startsWith(`${key}_`) && !n.endsWith('.sources.txt'));
    if (!name) throw new Error(`no ${key}_* in corpus/bench`);
    const file = sharedPath('corpus', 'bench', name);
    const runs = new Map<string, ParseOutcome[]>();
    const cli: number[] = [];
    let cliTotals: Record<string, number> = {};
    for (let i = 0; i < PARSE_ROUNDS; i++) {
      const c = cliFirstParse(file);
      cli.push(c.ms);
      cliTotals = c.totals;
      for (const t of ['vfio-lens readDocument', ...peers]) {
        const list = runs.get(t) ?? [];
        list.push(await runChild(t, file));
        runs.set(t, list);
      }
    }
    const mine = runs.get('vfio-lens readDocument')!;
    const ref = meaningful(mine[0].files ?? []);
    const t = totals(ref);
    const same = JSON.stringify(t) === JSON.stringify(BENCH_REFERENCES[key]);
    const cliSame = cliTotals.files === t.files && cliTotals.hunks === t.hunks && cliTotals.added === t.added;
    let best: { name: string; first: number; firstCpu: number; warm: number } | undefined;
    const status: string[] = [];
    for (const p of peers) {
      const list = runs.get(p)!;
      const failed = list.find((o) => o.error);
      const v = failed ? failed.error! : verdict(ref, list[0].files ?? []);
      const first = median(list.map((o) => o.first));
      const warm = median(list.map((o) => o.warm));
      status.push(`${p}: ${v}${failed ? '' : `, first ${f0(first)} ms, warm ${f0(warm)} ms`}`);
      const firstCpu = median(list.map((o) => o.firstCpu));
      if (v === 'correct' && (!best || first < best.first)) best = { name: p, first, firstCpu, warm };
    }
    const ourFirst = median(cli);
    const ourWarm = median(mine.map((o) => o.warm));
    const label = `reader: first parse of bench ${key} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)`;
    if (!same || !cliSame) {
      row(label, 'vfio-lens totals differ from the README reference: not compared', '', '', '');
      continue;
    }
    if (!best) {
      row(label, `${spread(cli)} ms`, 'no JS peer is correct', '', '>= 2x');
      continue;
    }
    const firstRatio = best.first / ourFirst;
    const warmRatio = best.warm / ourWarm;
    const ourCpu = median(mine.map((o) => o.firstCpu));
    row(
      label,
      `${spread(cli)} ms (out/: ${spread(mine.map((o) => o.first))} ms, cpu ${f0(ourCpu)})`,
      `${best.name} first parse ${f0(best.first)} ms, cpu ${f0(best.firstCpu)}`,
      `${firstRatio.toFixed(2)}x (cpu, out/: ${(best.firstCpu / ourCpu).toFixed(2)}x)`,
      '>= 2x',
    );
    row(
      `reader: warm parse of bench ${key}`,
      `${f0(ourWarm)} ms`,
      `${best.name} warm ${f0(best.warm)} ms`,
      `${warmRatio.toFixed(2)}x`,
      '>= 2x',
    );
    goalLine(
      `reader first parse of bench ${key} at least 2x the fastest correct peer's`,
      firstRatio >= 2,
      `${firstRatio.toFixed(2)}x (${best.name})`,
    );
    goalLine(
      `reader warm parse of bench ${key} stays at least 2x`,
      warmRatio >= 2,
      `${warmRatio.toFixed(2)}x`,
    );
    verdicts.push(`         bench ${key} peers: ${status.join('; ')}`);
  }
}

// ------------------------------------------------------------------ bundles

/** Each bundle's size as built (dist/), and minified as `npm run package` ships it. */
function reportBundles(): void {
  const dist = path.dirname(cliPath);
  const minified = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-min-'));
  // (only for this tree's own dist: another CLI's sources are not here to minify)
  const own = path.resolve(dist) === path.join(projectRoot, 'dist');
  const b = own
    ? spawnSync(process.execPath, ['scripts/build.mjs', '--minify', '--outdir', minified], {
        cwd: projectRoot,
        encoding: 'utf8',
      })
    : { status: 1 };
  const kb = (file: string) =>
    fs.existsSync(file) ? `${(fs.statSync(file).size / 1000).toFixed(0)} KB` : '-';
  for (const f of fs.readdirSync(dist).sort()) {
    if (!/\.(js|wasm)$/.test(f)) continue;
    const min = b.status === 0 && f.endsWith('.js') ? `minified ${kb(path.join(minified, f))}` : '';
    row(`bundle: ${f}`, kb(path.join(dist, f)), min, '', '');
  }
  fs.rmSync(minified, { recursive: true, force: true });
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  if (!haveShared()) {
    console.log('cold bench: ../shared not found; nothing to measure');
    process.exit(process.env.CI === 'true' ? 1 : 0);
  }
  console.log(
    `cold start: medians of ${ROUNDS} fresh CLI processes, ${LSP_ROUNDS} fresh servers, ${PARSE_ROUNDS} fresh ` +
      `parses per reader (min-max after each median); ${os.cpus().length} cores, load average ` +
      `${os.loadavg()[0].toFixed(1)}, node ${process.version}, ${cliPath}` +
      (timeBin ? '' : ' (no /usr/bin/time: wall time only)'),
  );
  const oneLine = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cold-')), 'one-line.txt');
  fs.writeFileSync(oneLine, 'Thanks, applied.\n');
  reportProcesses(oneLine);
  await reportServer();
  await reportLateOpen();
  await reportMemory();
  await reportReader();
  reportBundles();
  console.log('');
  printTable();
  console.log('');
  for (const v of verdicts) console.log(v);
  console.log(`(load average at the end ${os.loadavg()[0].toFixed(1)})`);
}

if (process.argv[2] === '--first-parse') {
  firstParseChild(process.argv[3], process.argv[4]);
} else {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
