/**
 * A minimal LSP client for the protocol tests and the benchmark: starts the real server
 * (`node dist/cli.js lsp --stdio`) as a child process and talks JSON-RPC to it. No VS Code.
 * Waiting is polling with a deadline (a deadline only turns a hang into a failure; nothing is
 * measured against it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import type { ServerStats } from '../../server/src/lsp/protocol';
import { projectRoot } from '../support/shared';

/** The CLI the tests start: dist/cli.js (npm test builds it), or VFIO_LENS_CLI for another build. */
export const cliPath = process.env.VFIO_LENS_CLI ?? path.join(projectRoot, 'dist', 'cli.js');

export interface ClientOptions {
  /** The `vfioLens` settings object answered to workspace/configuration. */
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  initializationOptions?: Record<string, unknown>;
  /** Variables set for the server's process (and so its analysis process) beside this one's. */
  env?: Record<string, string>;
}

export const defaultCapabilities: ClientCapabilities = {
  workspace: { configuration: true },
  window: { workDoneProgress: true },
  textDocument: {
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true },
  },
};

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly progress: { token: string | number; value: { kind: string } }[] = [];
  readonly logs: string[] = [];
  settings: Record<string, unknown>;
  initializeResult: unknown;
  private readonly publishListeners: ((p: PublishDiagnosticsParams) => void)[] = [];
  private exited: { code: number | null } | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly rpc: MessageConnection,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
  }

  /** Starts the server and initialises it. */
  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const client = LspClient.spawn(options);
    await client.initialize(options);
    return client;
  }

  /** Starts the server, listening, without initialising it (the lifecycle tests do that themselves). */
  static spawn(options: ClientOptions = {}, nodeArgs: string[] = []): LspClient {
    const child = spawn(process.execPath, [...nodeArgs, cliPath, 'lsp', '--stdio'], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    const stderr: string[] = [];
    child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
    const rpc = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspClient(child, rpc, options);
    child.on('exit', (code) => {
      client.exited = { code };
      if (stderr.length) client.logs.push('stderr: ' + stderr.join(''));
    });
    rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.published.push(p);
      for (const l of [...client.publishListeners]) l(p);
    });
    rpc.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    rpc.onNotification('$/progress', (p: { token: string | number; value: { kind: string } }) => {
      client.progress.push(p);
    });
    rpc.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'vfioLens' ? client.settings : null)),
    );
    rpc.onRequest('window/workDoneProgress/create', () => null);
    rpc.onRequest('client/registerCapability', () => null);
    rpc.onRequest('workspace/inlayHint/refresh', () => null);
    rpc.onRequest('workspace/codeLens/refresh', () => null);
    rpc.onRequest('workspace/diagnostic/refresh', () => null);
    rpc.listen();
    return client;
  }

  async initialize(options: ClientOptions = {}): Promise<void> {
    this.initializeResult = await this.rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: options.capabilities ?? defaultCapabilities,
      initializationOptions: options.initializationOptions,
    });
    this.rpc.sendNotification('initialized', {});
  }

  /** The exit code once the process ended (undefined while it runs). */
  get exitCode(): number | null | undefined {
    return this.exited?.code;
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, text: string): void {
    this.rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  close(uri: string): void {
    this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.rpc.sendRequest(method, params) as Promise<T>;
  }

  /** The diagnostics last published for a document at a version (or any version). */
  diagnosticsOf(uri: string, version?: number): Diagnostic[] | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) {
      const p = this.published[i];
      if (p.uri === uri && (version === undefined || p.version === version)) return p.diagnostics;
    }
    return undefined;
  }

  /**
   * Resolves when diagnostics for the document at that version are published (event-driven, for
   * latency measurements; register it before sending the didOpen/didChange).
   */
  nextDiagnostics(uri: string, version: number): Promise<Diagnostic[]> {
    return new Promise((resolve) => {
      const listener = (p: PublishDiagnosticsParams) => {
        if (p.uri !== uri || p.version !== version) return;
        this.publishListeners.splice(this.publishListeners.indexOf(listener), 1);
        resolve(p.diagnostics);
      };
      this.publishListeners.push(listener);
    });
  }

  /** Polls `probe` until it returns something other than undefined; fails after the deadline. */
  async waitFor<T>(what: string, probe: () => T | undefined, deadlineMs = 60_000): Promise<T> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (!this.alive) throw new Error(`server exited while waiting for ${what}\n${this.logs.join('\n')}`);
      if (Date.now() > end)
        throw new Error(`no ${what} before the deadline\n${this.logs.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * Polls vfioLens/stats until the server has no analysis process (it ends RELEASE_AFTER_MS after
   * the last document closed), and returns those stats; fails after the deadline (a hang).
   */
  async analysisProcessEnded(deadlineMs = 60_000): Promise<ServerStats> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const stats = await this.request<ServerStats>('vfioLens/stats', null);
      if (stats.analysisPid === undefined) return stats;
      if (Date.now() > end)
        throw new Error(`the analysis process ${stats.analysisPid} still ran after ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  waitForDiagnostics(uri: string, version?: number): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${uri}${version === undefined ? '' : ` v${version}`}`, () =>
      this.diagnosticsOf(uri, version),
    );
  }

  async stop(): Promise<void> {
    if (this.alive) {
      try {
        await this.rpc.sendRequest('shutdown');
        this.rpc.sendNotification('exit');
      } catch {
        // already gone
      }
      await this.waitFor('server exit', () => (this.alive ? undefined : true), 10_000).catch(() => {
        this.child.kill();
      });
    }
    this.rpc.dispose();
  }
}
