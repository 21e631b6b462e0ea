/**
 * Runs the analysis off the server's main thread, so the server keeps answering (hovers, cancel
 * notifications, progress) while a long document is analysed, and a stale or cancelled analysis
 * really stops: the job's cancel flag lives in shared memory that `isCancelled` reads.
 *
 * The worker is the same program started as `vfio-lens lsp --analysis-worker`. When no worker can
 * be started (e.g. the server is embedded without its CLI entry), jobs run in-process instead.
 * A job that neither finishes nor notices its cancel flag is stopped by a watchdog that restarts
 * the worker; a failure of the analysis is returned as an error, never thrown at the server.
 */
import { Worker, parentPort } from 'node:worker_threads';
import { analyzeText, initAnalysis } from '../analysis';
import { analyzeCSource } from '../analysis/cSource';
import type { AnalyzeOptions, Finding } from '../analysis/types';
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
  cancel: SharedArrayBuffer;
}
type JobReply =
  | { id: number; status: 'done'; output: ServerAnalysis | Finding[]; ms: number }
  | { id: number; status: 'failed'; message: string; ms: number }
  | { id: number; status: 'cancelled' };

/**
 * The worker's old space: V8 otherwise lets a heap grow to a large share of the machine's memory
 * before it collects (the server's RSS was 530-780 MB with the 73 corpus and seed files open while
 * the live heap after a collection is about 120 MB). A worker that runs out is one that failed:
 * its document gets the analysis-failed diagnostic and the next job a new worker.
 */
export const WORKER_OLD_SPACE_MB = 256;

let initialised: Promise<void> | undefined;
function ensureInit(): Promise<void> {
  // tree-sitter only: the worker starts for its first document, so an analysis to warm the JIT
  // up first would only make that document wait (npm run bench -- cold: 1,390 -> 1,170 ms)
  initialised ??= initAnalysis();
  return initialised;
}

/** One analysis, synchronously, with failures caught. */
async function runJob(req: JobRequest): Promise<JobReply> {
  const flag = new Int32Array(req.cancel);
  const isCancelled = () => Atomics.load(flag, 0) !== 0;
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

/** The worker side: answer jobs one by one until the server terminates us. */
export function serveAnalysisWorker(): Promise<number> {
  const port = parentPort;
  if (!port) {
    process.stderr.write('vfio-lens lsp --analysis-worker: only the language server starts this mode\n');
    return Promise.resolve(2);
  }
  let queue = Promise.resolve();
  port.on('message', (req: JobRequest) => {
    queue = queue.then(async () => port.postMessage(await runJob(req)));
  });
  void ensureInit().catch(() => undefined); // tree-sitter; a failure is reported per job
  return new Promise<number>(() => undefined);
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
}

export class AnalysisRunner {
  private worker: Worker | undefined;
  private workerFailed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: number[] = [];
  private inFlight: number | undefined;
  /** No document needs the worker: stop it once its queue is empty. */
  private releasing = false;

  constructor(
    private readonly workerScript: string | undefined,
    private readonly log: (message: string) => void,
  ) {}

  private startWorker(): Worker | undefined {
    if (this.worker || this.workerFailed || !this.workerScript) return this.worker;
    try {
      const w = new Worker(this.workerScript, {
        argv: ['lsp', '--analysis-worker'],
        resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB },
      });
      w.unref();
      w.on('message', (reply: JobReply) => this.settle(reply.id, reply));
      w.on('error', (e) => this.workerGone(w, `analysis worker failed: ${e.message}`));
      w.on('exit', (code) => this.workerGone(w, `analysis worker exited (code ${code})`));
      this.worker = w;
    } catch (e) {
      this.workerFailed = true;
      this.log(`cannot start the analysis worker (${(e as Error).message}); analysing in-process`);
    }
    return this.worker;
  }

  private workerGone(w: Worker, message: string): void {
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
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const req: JobRequest = { id, kind, text, options, cancel };
    const outcome = new Promise<JobOutcome<JobResult<K>>>((resolve) =>
      this.pending.set(id, {
        resolve: resolve as (o: JobOutcome<ServerAnalysis | Finding[]>) => void,
        req,
        watchdogMs,
      }),
    );
    this.queue.push(id);
    this.pump();
    return {
      outcome,
      cancel: () => {
        Atomics.store(flag, 0, 1);
        if (this.queue.includes(id)) {
          this.queue.splice(this.queue.indexOf(id), 1);
          this.settle(id, { id, status: 'cancelled' });
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
      setImmediate(() => void runJob(p.req).then((reply) => this.settle(id, reply)));
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
      void worker.terminate();
    }, p.watchdogMs);
    p.watchdog.unref();
    worker.postMessage(p.req);
  }

  /**
   * No open document needs the worker: it is stopped as soon as its queue is empty, and the next
   * job starts a fresh one. A thread keeps the memory of the largest analysis it ran; the
   * process's RSS comes back only when the thread ends.
   */
  release(): void {
    this.releasing = true;
    this.releaseIfIdle();
  }

  private releaseIfIdle(): void {
    if (!this.releasing || this.pending.size > 0 || this.inFlight !== undefined) return;
    this.releasing = false;
    this.dispose();
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }
}
