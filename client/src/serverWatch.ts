/**
 * Keeps the language server alive: a server that ended without being asked to (a crash) or that
 * does not answer a heartbeat request within a limit (deaf: alive, answering nothing) is
 * restarted, and each incident is said once, however many signs of it arrive (the connection's
 * close, a missed heartbeat, both). A server that keeps failing is left stopped after a few
 * restarts, and that too is said once. Pure: the server, the clock and the timer are handed in.
 */

export interface WatchedServer {
  /** A cheap request; resolves when the server answers. */
  ping(): Promise<unknown>;
  /** Ends the old process (whatever state it is in) and starts a new one. */
  restart(reason: string): Promise<void>;
  /** The server was started and not stopped on purpose. */
  expected(): boolean;
}

export interface WatchOptions {
  /** How long a heartbeat may wait for its answer. */
  timeoutMs: number;
  /** At most this many restarts within windowMs; then the server stays stopped. */
  maxRestarts: number;
  windowMs: number;
  now: () => number;
  /** Resolves after ms; cancel() releases it. */
  timer: (ms: number) => { elapsed: Promise<void>; cancel(): void };
  /** Says what happened: once per incident. */
  say: (message: string, level: 'warning' | 'error') => void;
}

export type Health = 'ok' | 'restarted' | 'given-up' | 'not-running';

export class ServerWatch {
  private recovering: Promise<Health> | undefined;
  private restarts: number[] = [];
  private gaveUp = false;
  /** What was said, in order (the end-to-end tests count the incidents). */
  readonly said: string[] = [];

  constructor(
    private readonly server: WatchedServer,
    private readonly options: WatchOptions,
  ) {}

  /** One heartbeat: the server answers within the limit (or a shorter one), or it is restarted. */
  async check(timeoutMs = this.options.timeoutMs): Promise<Health> {
    if (this.recovering) return this.recovering;
    if (this.gaveUp) return 'given-up';
    if (!this.server.expected()) return 'not-running';
    const t = this.options.timer(timeoutMs);
    const answer = this.server.ping().then(
      () => 'answered' as const,
      () => 'failed' as const,
    );
    const got = await Promise.race([answer, t.elapsed.then(() => 'timeout' as const)]);
    t.cancel();
    if (got === 'answered') return 'ok';
    if (!this.server.expected()) return 'not-running'; // stopped on purpose meanwhile
    return this.recover(
      got === 'timeout'
        ? `did not answer within ${Math.round(timeoutMs / 1000)} s`
        : 'failed to answer a request',
    );
  }

  /** The server's connection closed without a stop asked for: the process ended. */
  died(): Promise<Health> {
    if (this.recovering) return this.recovering;
    if (this.gaveUp) return Promise.resolve('given-up');
    return this.recover('stopped unexpectedly');
  }

  /** A start the user asked for ("Restart server"): the count of restarts begins again. */
  reset(): void {
    this.gaveUp = false;
    this.restarts = [];
  }

  private recover(reason: string): Promise<Health> {
    const now = this.options.now();
    this.restarts = this.restarts.filter((t) => now - t < this.options.windowMs);
    if (this.restarts.length >= this.options.maxRestarts) {
      this.gaveUp = true;
      this.tell(
        `the language server ${reason}, after ${this.restarts.length} restarts in ` +
          `${Math.round(this.options.windowMs / 60000)} min; it stays stopped: run "vfio-lens: Restart server"`,
        'error',
      );
      return Promise.resolve('given-up');
    }
    this.restarts.push(now);
    this.tell(`the language server ${reason}; restarted it`, 'warning');
    const recovering = this.server.restart(reason).then(
      (): Health => 'restarted',
      (e: unknown): Health => {
        this.gaveUp = true;
        this.tell(`the language server could not be restarted: ${String(e)}`, 'error');
        return 'given-up';
      },
    );
    this.recovering = recovering;
    void recovering.finally(() => {
      if (this.recovering === recovering) this.recovering = undefined;
    });
    return recovering;
  }

  private tell(message: string, level: 'warning' | 'error'): void {
    this.said.push(message);
    this.options.say(message, level);
  }
}
