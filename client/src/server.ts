/**
 * The language server process: dist/cli.js started as `lsp --node-ipc` through vscode-languageclient,
 * for the languages vfio-lens reads. Restartable; every custom request goes through request(),
 * typed by its RequestType (server/src/lsp/protocol.ts); what the commands and the panel offer to
 * pick (device kinds, kernels, steps, presets) is the server's vocabulary().
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type RequestParam,
  type RequestType,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { VocabularyRequest, type ModelVocabulary } from '../../server/src/lsp/protocol';

/** The languages the server is started for (it decides per document what it analyses). */
export const SERVED_LANGUAGES = ['diff', 'patch-mail', 'plaintext', 'c'] as const;

export class VfioServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private model: Promise<ModelVocabulary> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {}

  private create(): LanguageClient {
    const module = this.context.asAbsolutePath('dist/cli.js');
    const serverOptions: ServerOptions = {
      run: { module, args: ['lsp'], transport: TransportKind.ipc },
      debug: { module, args: ['lsp'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy'] } },
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
    };
    return new LanguageClient('vfioLens', 'vfio-lens', serverOptions, clientOptions);
  }

  /** Starts the server (once); resolves when the client is ready. */
  start(): Promise<void> {
    if (!this.starting) {
      this.client = this.create();
      this.output.appendLine(`starting ${this.context.asAbsolutePath('dist/cli.js')} lsp --node-ipc`);
      this.starting = this.client.start();
    }
    return this.starting;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    this.model = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (e) {
        this.output.appendLine(`stopping the server: ${String(e)}`);
      }
    }
  }

  async restart(): Promise<void> {
    this.output.appendLine('restarting the language server');
    await this.stop();
    await this.start();
  }

  /** Sends a custom request (a RequestType of server/src/lsp/protocol.ts) once the server runs. */
  async request<P, R>(
    type: RequestType<P, R, void>,
    params: RequestParam<P>,
    token?: vscode.CancellationToken,
  ): Promise<R> {
    await this.start();
    if (!this.client) throw new Error('the vfio-lens server is not running');
    // sendRequest treats a trailing undefined as one more parameter: pass the token only when there is one.
    return token ? this.client.sendRequest(type, params, token) : this.client.sendRequest(type, params);
  }

  /** The simulator's model as the server describes it (asked once per server start). */
  vocabulary(): Promise<ModelVocabulary> {
    this.model ??= this.start().then(async () => {
      if (!this.client) throw new Error('the vfio-lens server is not running');
      const { models } = await this.client.sendRequest(VocabularyRequest);
      if (!models.length) throw new Error('the vfio-lens server offers no model');
      return models[0];
    });
    this.model.catch(() => (this.model = undefined));
    return this.model;
  }

  get isRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  dispose(): void {
    void this.stop();
  }
}
