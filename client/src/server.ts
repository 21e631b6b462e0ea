/**
 * The language server process: dist/cli.js started as `lsp --node-ipc` through vscode-languageclient,
 * for the languages vfio-lens reads. Restartable; every custom request goes through request(),
 * typed by its RequestType (server/src/lsp/protocol.ts); what the commands and the panel offer to
 * pick (device kinds, kernels, steps, presets) is the server's vocabulary(). A crashed or deaf server
 * is restarted by its ServerWatch (serverWatch.ts), which says so once per incident.
 */
import * as vscode from 'vscode';
import type {
  LanguageClient,
  LanguageClientOptions,
  RequestParam,
  RequestType,
  ServerOptions,
} from 'vscode-languageclient/node';
import { ServerStatsRequest, VocabularyRequest, type ModelVocabulary } from '../../server/src/lsp/protocol';
import { ServerWatch } from './serverWatch';

/** A heartbeat every so often; the server must answer it within the limit. */
const HEARTBEAT_MS = 30_000;
const ANSWER_LIMIT_MS = 20_000;

/**
 * vscode-languageclient, loaded when the first server starts, not when the extension loads: its
 * half megabyte evaluated at require was most of the extension's load (85 of 103 ms), before
 * activate() even ran.
 */
let clientLibrary: Promise<typeof import('vscode-languageclient/node')> | undefined;
const languageClientLibrary = () => (clientLibrary ??= import('vscode-languageclient/node'));

/** The languages the server is started for (it decides per document what it analyses). */
export const SERVED_LANGUAGES = ['diff', 'patch-mail', 'plaintext', 'c'] as const;

export class VfioServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private models: Promise<ModelVocabulary[]> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** The server's process id, as it last said (vfioLens/stats). */
  pid: number | undefined;
  readonly watch: ServerWatch;
  /** Said once per incident (the status bar shows it). */
  private readonly incident = new vscode.EventEmitter<{ message: string; level: 'warning' | 'error' }>();
  readonly onIncident = this.incident.event;
  private readonly started = new vscode.EventEmitter<void>();
  /** A server (re)started and answered. */
  readonly onStarted = this.started.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.watch = new ServerWatch(
      {
        ping: () => this.ping(),
        restart: () => this.replace(true),
        expected: () => this.starting !== undefined,
      },
      {
        timeoutMs: ANSWER_LIMIT_MS,
        maxRestarts: 3,
        windowMs: 180_000,
        now: () => Date.now(),
        timer: (ms) => {
          let timer: NodeJS.Timeout | undefined;
          const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
          return { elapsed, cancel: () => clearTimeout(timer) };
        },
        say: (message, level) => {
          if (level === 'error') this.output.error(message);
          else this.output.warn(message);
          this.incident.fire({ message, level });
        },
      },
    );
  }

  private async ping(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('no client');
    const stats = await client.sendRequest(ServerStatsRequest);
    if (client === this.client) this.pid = stats.pid;
  }

  /**
   * A new server process. The old one is asked to stop, and killed if it does not (a crashed or deaf
   * one at once: it would answer nothing), whatever it is doing.
   */
  private async replace(killFirst: boolean): Promise<void> {
    const pid = this.pid;
    this.pid = undefined;
    const kill = () => {
      try {
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
      } catch {
        // it has ended already
      }
    };
    if (killFirst) kill();
    if (!(await this.stop()) && !killFirst) kill();
    await this.start();
  }

  private async create(): Promise<LanguageClient> {
    const { CloseAction, ErrorAction, LanguageClient, TransportKind } = await languageClientLibrary();
    const module = this.context.asAbsolutePath('dist/cli.js');
    // Without NODE_EXTRA_CA_CERTS (the client merges this over its own environment; an undefined
    // value is left out): Node 20 reads and parses that file at every start, about as long as the
    // rest of its start, and the server opens no TLS connection.
    const env = { NODE_EXTRA_CA_CERTS: undefined };
    const serverOptions: ServerOptions = {
      run: { module, args: ['lsp'], transport: TransportKind.ipc, options: { env } },
      debug: {
        module,
        args: ['lsp'],
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy'], env },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: SERVED_LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      synchronize: { configurationSection: 'vfioLens' },
      initializationOptions: vscode.workspace.getConfiguration('vfioLens'),
      outputChannel: this.output,
      traceOutputChannel: this.output,
      // the watch restarts a server whose connection closed, and says so once (not the client's own retries)
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => {
          if (this.client === client && this.starting) void this.watch.died();
          return {
            action: CloseAction.DoNotRestart,
            handled: true,
            message: 'the connection to the vfio-lens server closed',
          };
        },
      },
    };
    const client = new LanguageClient('vfioLens', 'vfio-lens', serverOptions, clientOptions);
    return client;
  }

  /**
   * Where the first start's time went, in ms (the benchmark reads it): loading the language client
   * library and making the client, then the client's start (the server's process and its
   * `initialize`) until it is ready.
   */
  readonly firstStart: { library?: number; client?: number } = {};

  /** Starts the server (once); resolves when the client is ready. */
  start(): Promise<void> {
    if (!this.starting) {
      this.output.appendLine(`starting ${this.context.asAbsolutePath('dist/cli.js')} lsp --node-ipc`);
      const t0 = Date.now();
      const first = this.firstStart.library === undefined;
      const starting: Promise<void> = this.create().then((client) => {
        if (this.starting !== starting) return; // stopped (or replaced) while the library loaded
        this.client = client;
        const made = Date.now();
        if (first) this.firstStart.library = made - t0;
        return client.start().then(() => {
          if (first) this.firstStart.client = Date.now() - made;
          // its pid (not awaited: a server deaf from the start is the heartbeat's to find)
          void this.ping().then(
            () => this.started.fire(),
            () => undefined,
          );
          this.heartbeat ??= setInterval(() => void this.watch.check(), HEARTBEAT_MS);
        });
      });
      this.starting = starting;
      starting.catch(() => {
        if (this.starting === starting) this.starting = undefined;
      });
    }
    return this.starting;
  }

  /** Stops the server; false when it did not stop cleanly (the caller may kill it). */
  async stop(): Promise<boolean> {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    this.models = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (e) {
        this.output.appendLine(`stopping the server: ${String(e)}`);
        return false;
      }
    }
    return true;
  }

  /** "Restart server": the user's restart, which also lifts a watch that gave up. */
  async restart(): Promise<void> {
    this.output.appendLine('restarting the language server');
    this.watch.reset();
    await this.replace(false);
  }

  /** Sends a custom request (a RequestType of server/src/lsp/protocol.ts) once the server runs. */
  async request<P, R>(
    type: RequestType<P, R, void>,
    params: RequestParam<P>,
    token?: vscode.CancellationToken,
  ): Promise<R> {
    await this.start();
    if (!this.client) throw new Error('the vfio-lens server is not running');
    // By method name: a RequestType from another copy of the protocol library (a test's) would carry
    // parameter structures this bundle's jsonrpc does not recognise. Every request here has one
    // object parameter, which the name form sends as is. sendRequest treats a trailing undefined as
    // one more parameter: pass the token only when there is one.
    const method = type.method;
    return (
      token ? this.client.sendRequest(method, params, token) : this.client.sendRequest(method, params)
    ) as Promise<R>;
  }

  /**
   * Every model as the server describes it (asked once per server start), the vfio-pci model
   * first: the simulator panel offers each of them.
   */
  vocabularies(): Promise<ModelVocabulary[]> {
    this.models ??= this.start().then(async () => {
      if (!this.client) throw new Error('the vfio-lens server is not running');
      const { models } = await this.client.sendRequest(VocabularyRequest);
      if (!models.length) throw new Error('the vfio-lens server offers no model');
      return models;
    });
    this.models.catch(() => (this.models = undefined));
    return this.models;
  }

  /** The first model (vfio-pci), the one the commands' pickers offer. */
  async vocabulary(): Promise<ModelVocabulary> {
    return (await this.vocabularies())[0];
  }

  get isRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  dispose(): void {
    this.incident.dispose();
    this.started.dispose();
    void this.stop();
  }
}
