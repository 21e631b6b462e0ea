/**
 * Runs the analysis in a child process, so the server keeps answering (hovers, cancel
 * notifications, progress) while a long document is analysed, a stale or cancelled analysis
 * really stops, and the memory an analysis took goes back to the system when no document needs
 * it any more (a worker thread left 15-30 MB in the server's process after it ended: its malloc
 * arenas and the compiler's pages of the node binary).
 *
 * The worker is the same program started as `vfio-lens lsp --analysis-worker`, with an IPC channel
 * (structured clone, as a thread's messages were) and a cancel file: a 4-byte file the server and
 * the worker both hold open (the worker as fd 4; its name is removed at once), where the server
 * writes the id of the job it cancels and the worker's `isCancelled` reads it (at most once a
 * millisecond). The first worker is the one dist/cli.js started while the server loaded
 * (analysisProcess.ts), if it is still there. When no worker can be started (e.g. the server is
 * embedded without its CLI entry), jobs run in-process instead. A job that neither finishes nor notices its cancel is
 * stopped by a watchdog that kills the worker; a failure of the analysis is returned as an error,
 * never thrown at the server.
 */
import * as fs from 'node:fs';
import { trimCaches } from '../model';
import { compactingCollection, fullCollector } from './collector';
import { analyzeText, initAnalysis } from '../analysis';
import { analyzeCSource } from '../analysis/cSource';
import type { AnalyzeOptions, Finding } from '../analysis/types';
import {
  CANCEL_FD,
  closeCancel,
  earlyPid,
  forkAnalysisProcess,
  settingOf,
  hold,
  stopWorker,
  takeEarly,
  type WorkerProcess,
} from './analysisProcess';
import { outlineAnalysis, type ServerAnalysis } from './serverAnalysis';

export type JobOptions = Omit<AnalyzeOptions, 'isCancelled'>;

/** What a job analyses: a document (patch, mail, text) or a plain C file (its lints). */
type JobKind = 'document' | 'c-source';
type JobResult<K extends JobKind> = K extends 'document' ? ServerAnalysis : Finding[];

export type JobOutcome<Output = ServerAnalysis> =
  | { status: 'done'; output: Output; ms: number }
  | { status: 'failed'; message: string; ms: number }
  | { status: 'cancelled' };

interface JobRequest {
  id: number;
  kind: JobKind;
  text: string;
  options: JobOptions;
}
type JobReply =
  | { id: number; status: 'done'; output: ServerAnalysis | Finding[]; ms: number }
  | { id: number; status: 'failed'; message: string; ms: number }
  | { id: number; status: 'cancelled' };
/** What the worker sends when, idle, it gave memory back (not the answer to a job). */
interface TrimReport {
  status: 'trimmed';
  /** The heap V8 held for the worker (`heapTotal`, bytes) before and after the trim. */
  heapBefore: number;
  heapAfter: number;
  ms: number;
}

/**
 * The worker, idle this long after its last job, gives back what older documents left in its
 * caches, if V8 holds more than IDLE_TRIM_ABOVE_MB of heap for it (a burst of documents opened at
 * once: after the 73 corpus and seed files V8 held 86 MB, 34 MB after the trim, and the
 * process's RSS 148-157 -> 94-102 MB). VFIO_LENS_IDLE_TRIM_MS and VFIO_LENS_IDLE_TRIM_ABOVE_MB set
 * others (the tests).
 */
export const IDLE_TRIM_MS = 1000;
export const IDLE_TRIM_ABOVE_MB = 64;
/** The share of each cache's limit kept: the newest entries, the documents worked on last. */
export const IDLE_CACHE_SHARE = 1 / 8;

/**
 * When the last open document closes, the worker stays this long before it is stopped (its memory
 * goes back with its process). A reviewer who closes a patch and opens the next, or VS Code
 * replacing a preview tab with the next file, would otherwise wait for a fresh worker: seed 002
 * closed and opened again took 410-470 ms, the process's start and a cold analysis, instead of
 * a few ms. Idle meanwhile, the worker has trimmed its caches (IDLE_TRIM_MS).
 * VFIO_LENS_RELEASE_AFTER_MS sets another (0: at once).
 */
export const RELEASE_AFTER_MS = 10_000;

/**
 * Whether an idle worker's heap is worth a trim: what V8 holds for it (`heapTotal`, the pages
 * the process keeps), not what was in use when the timer fired. The two part after a burst: a
 * collection during the last job can leave the objects in use under the threshold while V8 still
 * holds far more (after the 73 corpus and seed files, 59 MB in use of 86 MB held: no trim, and
 * the process stayed at 147-150 MB).
 */
export function worthATrim(usage: Pick<NodeJS.MemoryUsage, 'heapTotal'>, aboveBytes: number): boolean {
  return usage.heapTotal > aboveBytes;
}

/**
 * Idle with a heap above `aboveBytes`: keeps the newest entries of each cache and compacts the
 * heap, so its pages go back to the system. Undefined when there was nothing to give back, or no
 * collector to give it back with (the caches are trimmed only then: without a collection V8
 * would keep the pages). The report gives the heap V8 held before and after.
 */
function giveBackIdleMemory(aboveBytes: number): TrimReport | undefined {
  const before = process.memoryUsage();
  if (!worthATrim(before, aboveBytes) || !fullCollector()) return undefined;
  const t0 = performance.now();
  trimCaches(IDLE_CACHE_SHARE);
  compactingCollection();
  return {
    status: 'trimmed',
    heapBefore: before.heapTotal,
    heapAfter: process.memoryUsage().heapTotal,
    ms: performance.now() - t0,
  };
}

let initialised: Promise<void> | undefined;
function ensureInit(): Promise<void> {
  // tree-sitter only: the first job comes as soon as the worker is ready (it starts with the server,
  // and the server's first document follows its `initialize`), so an analysis to warm the JIT up
  // first would only make that document wait (npm run bench -- cold: 1,390 -> 1,170 ms)
  initialised ??= initAnalysis();
  return initialised;
}

/** The worker's view of the cancel file: the id of the job the server cancelled last. */
function cancelReader(): () => number {
  const id = new Int32Array(1);
  let readAt = -Infinity;
  return () => {
    const now = performance.now();
    if (now - readAt >= 1) {
      readAt = now;
      try {
        if (fs.readSync(CANCEL_FD, id, 0, 4, 0) !== 4) id[0] = 0;
      } catch {
        id[0] = 0; // no cancel file: nothing is cancelled but by the watchdog
      }
    }
    return id[0];
  };
}

/** One analysis, synchronously, with failures caught. `cancelled`: whether the server cancelled it. */
async function runJob(req: JobRequest, cancelled: (id: number) => boolean): Promise<JobReply> {
  const isCancelled = () => cancelled(req.id);
  if (isCancelled()) return { id: req.id, status: 'cancelled' };
  const t0 = performance.now();
  try {
    await ensureInit();
    const output =
      req.kind === 'c-source'
        ? analyzeCSource(req.text, req.options.file)
        : outlineAnalysis(analyzeText(req.text, { ...req.options, isCancelled }));
    if (isCancelled()) return { id: req.id, status: 'cancelled' };
    return { id: req.id, status: 'done', output, ms: performance.now() - t0 };
  } catch (e) {
    if (isCancelled()) return { id: req.id, status: 'cancelled' };
    const err = e as Error;
    return { id: req.id, status: 'failed', message: err?.stack ?? String(e), ms: performance.now() - t0 };
  }
}

/**
 * The worker side (a child process the server forked): answer jobs one by one until the server
 * disconnects (it no longer needs us, or it ended), then exit.
 */
export function serveAnalysisWorker(): Promise<number> {
  const send = process.send?.bind(process);
  // a server that ended while we started (one that started us early and then found its arguments wrong)
  if (send && !process.connected) return Promise.resolve(0);
  if (!send) {
    process.stderr.write('vfio-lens lsp --analysis-worker: only the language server starts this mode\n');
    return Promise.resolve(2);
  }
  const lastCancelled = cancelReader();
  const cancelled = (id: number) => lastCancelled() === id;
  const trimAfter = settingOf('VFIO_LENS_IDLE_TRIM_MS', IDLE_TRIM_MS);
  const trimAbove = settingOf('VFIO_LENS_IDLE_TRIM_ABOVE_MB', IDLE_TRIM_ABOVE_MB) * 2 ** 20;
  let queue = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  process.on('message', (req: JobRequest) => {
    clearTimeout(idle);
    queue = queue.then(async () => {
      const reply = await runJob(req, cancelled);
      if (process.connected) send(reply);
      // the server sends its next job as soon as this reply arrives: a timer that fires found none
      clearTimeout(idle);
      idle = setTimeout(() => {
        const report = giveBackIdleMemory(trimAbove);
        if (report && process.connected) send(report);
      }, trimAfter);
      idle.unref();
    });
  });
  return new Promise<number>((resolve) => {
    // the server let us go, or ended: exit now (the exit still writes the code cache)
    process.once('disconnect', () => {
      resolve(0);
      process.exit(0);
    });
    void ensureInit().catch(() => undefined); // tree-sitter; a failure is reported per job
  });
}

/** A process's resident set size in bytes, from /proc (0 without a pid, or where /proc cannot tell). */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const at = status.indexOf('VmRSS:');
    return at < 0 ? 0 : parseInt(status.slice(at + 6).trim(), 10) * 1024 || 0;
  } catch {
    return 0;
  }
}

/** A handle on a running job: its outcome, and how to cancel it. */
export interface AnalysisJob<Output = ServerAnalysis> {
  outcome: Promise<JobOutcome<Output>>;
  cancel(): void;
}

interface Pending {
  resolve: (o: JobOutcome<ServerAnalysis | Finding[]>) => void;
  req: JobRequest;
  watchdogMs: number;
  watchdog?: NodeJS.Timeout;
  /** Jobs re-sent after their worker died under another job; one retry each. */
  retried?: boolean;
  /** Whether the job was cancelled (what an in-process job reads). */
  cancelled: () => boolean;
}

export class AnalysisRunner {
  private worker: WorkerProcess | undefined;
  private workerFailed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: number[] = [];
  private inFlight: number | undefined;
  /** No document needs the worker: stop it once its queue is empty (after RELEASE_AFTER_MS). */
  private releasing = false;
  private releaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly workerScript: string | undefined,
    private readonly log: (message: string) => void,
  ) {}

  /** The running worker's process id (its memory is the server's too: vfioLens/stats adds it). */
  get workerPid(): number | undefined {
    return this.worker?.child.pid ?? earlyPid();
  }

  private startWorker(): WorkerProcess | undefined {
    if (this.worker || this.workerFailed || !this.workerScript) return this.worker;
    try {
      // the process the loader started while the server loaded, else a new one
      const w = takeEarly(this.workerScript) ?? forkAnalysisProcess(this.workerScript, this.log);
      const { child } = w;
      child.on('message', (reply: JobReply | TrimReport) => {
        if (reply.status === 'trimmed') this.trimmed(reply);
        else this.settle(reply.id, reply);
      });
      child.on('error', (e) => this.workerGone(w, `analysis worker failed: ${e.message}`));
      child.on('exit', (code, signal) =>
        this.workerGone(w, `analysis worker exited (${signal ? `signal ${signal}` : `code ${code}`})`),
      );
      this.worker = w;
    } catch (e) {
      this.workerFailed = true;
      this.log(`cannot start the analysis worker (${(e as Error).message}); analysing in-process`);
    }
    return this.worker;
  }

  /** How often an analysis process gave memory back, idle (vfioLens/stats: `analysisTrims`). */
  trims = 0;

  private trimmed(r: TrimReport): void {
    this.trims++;
    const mb = (n: number) => (n / 2 ** 20).toFixed(0);
    this.log(
      `analysis process idle: kept its newest cache entries, heap ${mb(r.heapBefore)} -> ${mb(r.heapAfter)} MB in ${r.ms.toFixed(0)} ms`,
    );
  }

  private workerGone(w: WorkerProcess, message: string): void {
    closeCancel(w);
    if (this.worker !== w) return;
    this.worker = undefined;
    this.log(message);
    // The job that was running when the worker died gets one more chance on a fresh worker.
    const id = this.inFlight;
    this.inFlight = undefined;
    const p = id === undefined ? undefined : this.pending.get(id);
    if (id !== undefined && p) {
      if (p.retried) this.settle(id, { id, status: 'failed', message, ms: 0 });
      else {
        p.retried = true;
        this.queue.unshift(id);
      }
    }
    this.pump();
  }

  private settle(id: number, reply: JobReply): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.watchdog) clearTimeout(p.watchdog);
    if (this.inFlight === id) {
      this.inFlight = undefined;
      if (this.worker) hold(this.worker.child, false);
      setImmediate(() => this.pump());
    }
    this.releaseIfIdle();
    if (reply.status === 'done') p.resolve({ status: 'done', output: reply.output, ms: reply.ms });
    else if (reply.status === 'failed') p.resolve({ status: 'failed', message: reply.message, ms: reply.ms });
    else p.resolve({ status: 'cancelled' });
  }

  /** Starts an analysis. `watchdogMs`: after this long the worker is restarted and the job fails. */
  run(text: string, options: JobOptions, watchdogMs: number): AnalysisJob {
    return this.start('document', text, options, watchdogMs);
  }

  /** Starts the lints of a plain C file (off the main thread like a document's analysis). */
  runCSource(text: string, file: string, watchdogMs: number): AnalysisJob<Finding[]> {
    return this.start('c-source', text, { file }, watchdogMs);
  }

  private start<K extends JobKind>(
    kind: K,
    text: string,
    options: JobOptions,
    watchdogMs: number,
  ): AnalysisJob<JobResult<K>> {
    this.releasing = false;
    this.keepWorker();
    const id = this.nextId++;
    let cancelled = false;
    const req: JobRequest = { id, kind, text, options };
    const outcome = new Promise<JobOutcome<JobResult<K>>>((resolve) =>
      this.pending.set(id, {
        resolve: resolve as (o: JobOutcome<ServerAnalysis | Finding[]>) => void,
        req,
        watchdogMs,
        cancelled: () => cancelled,
      }),
    );
    this.queue.push(id);
    this.pump();
    return {
      outcome,
      cancel: () => {
        cancelled = true;
        if (this.queue.includes(id)) {
          this.queue.splice(this.queue.indexOf(id), 1);
          this.settle(id, { id, status: 'cancelled' });
        } else if (this.inFlight === id && this.worker && this.worker.cancelFd >= 0) {
          try {
            fs.writeSync(this.worker.cancelFd, Int32Array.of(id), 0, 4, 0);
          } catch (e) {
            this.log(`cannot cancel the analysis of ${this.pending.get(id)?.req.options.file}: ${String(e)}`);
          }
        }
      },
    };
  }

  /** Sends the next queued job to the worker (one at a time, so the watchdog times only that job). */
  private pump(): void {
    if (this.inFlight !== undefined) return;
    const id = this.queue.shift();
    if (id === undefined) return;
    const p = this.pending.get(id);
    if (!p) return this.pump();
    this.inFlight = id;
    const worker = this.startWorker();
    if (!worker) {
      setImmediate(() => void runJob(p.req, () => p.cancelled()).then((reply) => this.settle(id, reply)));
      return;
    }
    p.watchdog = setTimeout(() => {
      if (this.inFlight !== id) return;
      const file = p.req.options.file;
      this.log(
        `analysis of ${file} did not finish within ${p.watchdogMs} ms; restarting the analysis worker`,
      );
      p.retried = true; // no second chance for the job that hung
      if (this.worker === worker) this.worker = undefined; // the next job gets a fresh worker
      this.settle(id, {
        id,
        status: 'failed',
        message: `analysis did not finish within ${p.watchdogMs} ms (vfioLens.analysisBudgetMs is not being honoured)`,
        ms: p.watchdogMs,
      });
      stopWorker(worker, true);
    }, p.watchdogMs);
    p.watchdog.unref();
    hold(worker.child, true);
    worker.child.send(p.req, (e) => {
      if (e && this.worker === worker) stopWorker(worker, true); // its exit retries the job
    });
  }

  /**
   * No open document needs the worker: it is stopped RELEASE_AFTER_MS after its queue is empty,
   * unless a job comes first, and the job after that starts a fresh one. The memory of the largest
   * analysis it ran goes back with its process.
   */
  release(): void {
    this.releasing = true;
    this.releaseIfIdle();
  }

  private releaseIfIdle(): void {
    if (!this.releasing || this.pending.size > 0 || this.inFlight !== undefined) return;
    this.releasing = false;
    const after = settingOf('VFIO_LENS_RELEASE_AFTER_MS', RELEASE_AFTER_MS);
    if (after === 0 || !this.worker) return this.dispose();
    this.keepWorker();
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      this.dispose();
    }, after);
    this.releaseTimer.unref();
  }

  /** A job came: the worker is no longer to be stopped. */
  private keepWorker(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
  }

  dispose(): void {
    this.keepWorker();
    const w = this.worker;
    this.worker = undefined;
    if (w) stopWorker(w, false);
  }
}
