/**
 * A mocked LSP connection for in-process server tests (bash-language-server's pattern): it keeps
 * every handler createServer registers, records what the server sends, and lets a test call the
 * handlers as the client would — no process, no stdio. The protocol suite (test/protocol) drives
 * the real server over stdio beside these.
 */
import type { CancellationToken, Connection, Disposable } from 'vscode-languageserver';

type Handler = (...args: never[]) => unknown;

const disposable: Disposable = { dispose: () => undefined };

export const NO_CANCEL: CancellationToken = {
  isCancellationRequested: false,
  onCancellationRequested: () => disposable,
};

export class MockConnection {
  /** Handlers by what they were registered for: "onHover", "request:vfioLens/simulate", ... */
  readonly handlers = new Map<string, Handler>();
  readonly published: {
    uri: string;
    version?: number;
    diagnostics: { code?: unknown; severity?: number }[];
  }[] = [];
  readonly logged: string[] = [];
  /** What workspace/configuration answers (section vfioLens). */
  settings: unknown = undefined;

  private on(name: string) {
    return (handler: Handler) => {
      this.handlers.set(name, handler);
      return disposable;
    };
  }

  readonly console = {
    log: (m: string) => this.logged.push(m),
    info: (m: string) => this.logged.push(m),
    warn: (m: string) => this.logged.push(m),
    error: (m: string) => this.logged.push(m),
  };
  readonly workspace = { getConfiguration: async () => this.settings };
  readonly window = {
    createWorkDoneProgress: async () => ({
      begin: () => undefined,
      report: () => undefined,
      done: () => undefined,
      token: NO_CANCEL,
    }),
  };
  readonly client = { register: async () => disposable };
  readonly languages = {
    diagnostics: { on: this.on('diagnostics'), refresh: async () => undefined },
    inlayHint: { on: this.on('inlayHint'), refresh: async () => undefined },
  };

  onInitialize = this.on('onInitialize');
  onInitialized = this.on('onInitialized');
  onDidChangeConfiguration = this.on('onDidChangeConfiguration');
  onHover = this.on('onHover');
  onCodeLens = this.on('onCodeLens');
  onCodeAction = this.on('onCodeAction');
  onDocumentSymbol = this.on('onDocumentSymbol');
  onFoldingRanges = this.on('onFoldingRanges');
  onShutdown = this.on('onShutdown');
  onDidOpenTextDocument = this.on('onDidOpenTextDocument');
  onDidChangeTextDocument = this.on('onDidChangeTextDocument');
  onDidCloseTextDocument = this.on('onDidCloseTextDocument');
  onWillSaveTextDocument = this.on('onWillSaveTextDocument');
  onWillSaveTextDocumentWaitUntil = this.on('onWillSaveTextDocumentWaitUntil');
  onDidSaveTextDocument = this.on('onDidSaveTextDocument');

  onRequest(method: string, handler: Handler): Disposable {
    this.handlers.set(`request:${method}`, handler);
    return disposable;
  }

  async sendDiagnostics(params: MockConnection['published'][number]): Promise<void> {
    this.published.push(params);
  }

  async sendRequest(): Promise<void> {
    return undefined;
  }

  /** The connection as createServer takes it. */
  get connection(): Connection {
    return this as unknown as Connection;
  }

  /** Calls a registered handler as the client's message would. */
  call<R = unknown>(name: string, ...args: unknown[]): Promise<R> {
    const h = this.handlers.get(name) as ((...a: unknown[]) => unknown) | undefined;
    if (!h) throw new Error(`no handler for ${name}; registered: ${[...this.handlers.keys()].join(', ')}`);
    return Promise.resolve(h(...args) as R);
  }

  /** A custom request, with a token that is never cancelled. */
  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return this.call<R>(`request:${method}`, params, NO_CANCEL);
  }

  /** Waits until `probe` returns a value (the server answers through promises and timers). */
  async until<T>(probe: () => T | undefined, what: string, ms = 20000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
