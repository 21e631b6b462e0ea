/**
 * Starting the language server's analysis process (`vfio-lens lsp --analysis-worker`): the fork,
 * its cancel file, and the one started early. This module needs Node's built-ins only: it is also
 * built on its own as dist/analysis-process.js, which the loader (dist/cli.js) runs before the
 * server's bundle loads, so the analysis process starts while the server is still loading (its
 * Node's start and its bundle's load are most of the time before a first document's analysis can
 * begin). The server's analysis runner (analysisRunner.ts) takes that process as its first worker.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The worker's old space: V8 otherwise lets a heap grow to a large share of the machine's memory
 * before it collects (the server's RSS was 530-780 MB with the 73 corpus and seed files open while
 * the live heap after a collection is about 120 MB). A worker that runs out is one that failed:
 * its document gets the analysis-failed diagnostic and the next job a new worker.
 */
export const WORKER_OLD_SPACE_MB = 256;

/**
 * The worker's semi-spaces (V8's young generation is two): at most 4 MB each, not 16. Both are
 * resident once used, and stay: with the 73 corpus and seed files open the RSS 302 -> 277 MB, and
 * a second later, idle, 214 -> 186 MB, in the same time for all 73 (8.4 s); a 4 MB mbox 3% slower.
 */
export const WORKER_SEMI_SPACE_MB = 4;

/** The worker's fd of the cancel file (after stdin, stdout, stderr and the IPC channel). */
export const CANCEL_FD = 4;

/**
 * How long a process started early waits for the server to give it a job (from the server's
 * start): a server that has no document to analyse by then lets it go, and its first document
 * starts a new one. An editor that starts the server when it opens a folder of patches (VS Code's
 * `workspaceContains`) gives it its first patch when the reviewer opens one, seconds or a minute
 * later: with 5 s the process was let go before that, and seed 002 opened 7 s after the server
 * started waited for a new process (`npm run bench -- cold`, open -> diagnostics: 303 / 377 ms,
 * 212 / 271 ms with the process kept). VFIO_LENS_EARLY_IDLE_MS sets another (the tests, the
 * benches' level at rest).
 */
export const EARLY_IDLE_MS = 60_000;

/** A setting from the environment (the tests', the benches'): `name` when it is a whole number, else `otherwise`. */
export function settingOf(name: string, otherwise: number, env: NodeJS.ProcessEnv = process.env): number {
  const v = env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : otherwise;
}

/** EARLY_IDLE_MS, or VFIO_LENS_EARLY_IDLE_MS when it is a number of ms. */
export function earlyIdleMs(env: NodeJS.ProcessEnv = process.env): number {
  return settingOf('VFIO_LENS_EARLY_IDLE_MS', EARLY_IDLE_MS, env);
}

/**
 * The analysis process's environment: the server's, without NODE_EXTRA_CA_CERTS. Node 20 reads and
 * parses that file at every start (about 90 ms here, as long as the rest of Node's start), and the
 * analysis opens no TLS connection.
 */
export function analysisEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _certs, ...rest } = env;
  return rest;
}

/** A started worker: its process and the server's end of the cancel file (-1: none). */
export interface WorkerProcess {
  child: ChildProcess;
  cancelFd: number;
  /** The script it runs (dist/cli.js), resolved. */
  script: string;
}

/** Whether a worker keeps the server's event loop alive: only while a job of it runs. */
export function hold(child: ChildProcess, held: boolean): void {
  const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined | null;
  if (held) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
}

let cancelFiles = 0;

/** A new cancel file, open for reading and writing; its name is removed once the worker holds it. */
function openCancelFile(): { fd: number; file: string } {
  const file = path.join(os.tmpdir(), `vfio-lens-cancel-${process.pid}-${Date.now()}-${cancelFiles++}`);
  const fd = fs.openSync(file, 'wx+', 0o600);
  try {
    fs.writeSync(fd, new Int32Array(1), 0, 4, 0);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  return { fd, file };
}

/**
 * Forks `script` as the analysis worker, with an IPC channel and the cancel file as its fd 4
 * (without one, when none can be made: `log` says so, and a running job is then stopped only by
 * its budget and the watchdog). The worker does not keep the event loop alive (`hold`). Throws
 * when the process cannot be started.
 */
export function forkAnalysisProcess(script: string, log: (message: string) => void): WorkerProcess {
  let cancel: { fd: number; file: string } | undefined;
  try {
    cancel = openCancelFile();
  } catch (e) {
    log(
      `no cancel file for the analysis worker (${(e as Error).message}): a running job cannot be cancelled`,
    );
  }
  try {
    const child = fork(script, ['lsp', '--analysis-worker'], {
      // the server's flags but a debugger's (its port is the server's)
      execArgv: [
        ...process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a)),
        `--max-old-space-size=${WORKER_OLD_SPACE_MB}`,
        `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`,
      ],
      // stdout is the server's protocol on --stdio: the worker writes nothing there
      stdio: ['ignore', 'ignore', 'inherit', 'ipc', cancel?.fd ?? 'ignore'],
      serialization: 'advanced',
      env: analysisEnvironment(process.env),
    });
    hold(child, false);
    return { child, cancelFd: cancel?.fd ?? -1, script: path.resolve(script) };
  } catch (e) {
    if (cancel) fs.closeSync(cancel.fd);
    throw e;
  } finally {
    if (cancel) fs.rmSync(cancel.file, { force: true }); // the worker holds it as fd 4
  }
}

/** Ends a worker: `kill` for one that may be stuck in a job, else it is told to go (and exits). */
export function stopWorker(w: WorkerProcess, kill: boolean): void {
  if (kill) w.child.kill('SIGKILL');
  else if (w.child.connected) w.child.disconnect();
  else w.child.kill();
}

/** Closes the server's end of a worker's cancel file (once). */
export function closeCancel(w: WorkerProcess): void {
  if (w.cancelFd < 0) return;
  fs.closeSync(w.cancelFd);
  w.cancelFd = -1;
}

/**
 * The script the server can start again as its analysis worker: the CLI's entry it runs from
 * (dist/cli.js; main.js under the tests' build), else undefined (the server is embedded, and
 * analyses in-process).
 */
export function workerScriptOf(script: string | undefined): string | undefined {
  return script && /^(cli|main)\.js$/.test(path.basename(script)) ? script : undefined;
}

/** Where the loader leaves the process it started early (one per server process). */
const EARLY = Symbol.for('vfio-lens.early-analysis-process');
type Holder = { [EARLY]?: { worker: WorkerProcess; idle: NodeJS.Timeout } };

/**
 * The loader's call, for `vfio-lens lsp` with a transport (not its worker): starts the analysis
 * process now, if the server will use one (`workerScriptOf(argv1)`). One nobody takes within
 * EARLY_IDLE_MS (`earlyIdleMs`) is let go. A failure only means the server forks its first worker
 * later, as without this.
 */
export function startEarly(argv1: string | undefined): void {
  const holder = globalThis as Holder;
  const script = workerScriptOf(argv1);
  if (holder[EARLY] || !script) return;
  try {
    const worker = forkAnalysisProcess(script, () => undefined);
    // an error before the server takes it (the fork failed): the server forks its own
    worker.child.on('error', () => undefined);
    const idle = setTimeout(() => {
      if (holder[EARLY]?.worker !== worker) return;
      delete holder[EARLY];
      stopWorker(worker, false);
      closeCancel(worker);
    }, earlyIdleMs());
    idle.unref();
    holder[EARLY] = { worker, idle };
  } catch {
    // no early process
  }
}

/** The process id of the one started early, while nobody has taken it (the server's memory counts it). */
export function earlyPid(): number | undefined {
  return (globalThis as Holder)[EARLY]?.worker.child.pid;
}

/**
 * The process the loader started early, if it runs `script` and is still alive; whoever takes it
 * owns it (the idle timer is stopped). Else undefined.
 */
export function takeEarly(script: string): WorkerProcess | undefined {
  const holder = globalThis as Holder;
  const early = holder[EARLY];
  if (!early) return undefined;
  delete holder[EARLY];
  clearTimeout(early.idle);
  const { worker } = early;
  const alive = worker.child.connected && worker.child.exitCode === null && worker.child.signalCode === null;
  if (alive && worker.script === path.resolve(script)) return worker;
  stopWorker(worker, !alive);
  closeCancel(worker);
  return undefined;
}
