/**
 * The vfio-lens language server: wires the document analyses to the LSP features (diagnostics push
 * and pull, hover, inlay hints, code lenses, code actions, progress, settings) and the custom
 * requests of protocol.ts. Transport-agnostic: createServer registers its handlers on the
 * connection it is given and the caller listens (cli/lsp.ts gives it stdio, node-ipc or a socket;
 * the in-process tests a mocked connection).
 */
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  CodeActionRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  CodeLensRequest,
  DocumentDiagnosticRequest,
  HoverRequest,
  InlayHintRequest,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { fullCollector } from './collector';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as v8 from 'node:v8';
import { AnalysisRunner, rssOf } from './analysisRunner';
import * as custom from './customRequests';
import { diagnosticsFor, shownAnalysis } from './diagnostics';
import { DocumentAnalyses, roleOf, type AnalysedDocument } from './documentAnalyses';
import { codeActions, codeLenses, inlayHints } from './editorHints';
import { hoverAt, lineOf } from './hover';
import { documentStatus, statusLine } from './documentStatus';
import { documentSymbols, foldingRanges, type Lines } from './outline';
import { Lifecycle } from './lifecycle';
import { positionParam, rangeParam, textDocumentParam } from './params';
import { ServerStatsRequest, type ServerStats } from './protocol';
import { normalizeSettings, type VfioLensSettings } from './settings';

export interface ServerOptions {
  /** The model's facade for the simulator requests (undefined: those requests say it is missing). */
  facade?: custom.SimulationFacade;
  /** The CLI script to start as the analysis worker (undefined: analyse in-process). */
  workerScript?: string;
}

/** Internal knobs a client may pass in initializationOptions (tests and benchmarks use them). */
interface InitOptions {
  debounceMs?: number;
  progressDelayMs?: number;
}

const SECTION = 'vfioLens';

export interface VfioLensServer {
  /** The open documents, as the connection told them. */
  documents: TextDocuments<TextDocument>;
  /** A shutdown request was answered (an exit after it is a clean one). */
  readonly shutDown: boolean;
  dispose(): void;
}

export function createServer(connection: Connection, options: ServerOptions = {}): VfioLensServer {
  const documents = new TextDocuments(TextDocument);
  const log = (m: string) => connection.console.log(m);
  const life = new Lifecycle(log);
  const runner = new AnalysisRunner(options.workerScript, log);
  let canConfigure = false;
  let canRegisterConfiguration = false;
  let pullDiagnostics = false;
  let canRefreshDiagnostics = false;
  let canRefreshInlayHints = false;
  let canRefreshCodeLens = false;
  let canReportProgress = false;
  let globalSettings: unknown = undefined;
  const settingsCache = new Map<string, Promise<VfioLensSettings>>();
  let analyses: DocumentAnalyses | undefined;

  function settingsFor(uri: string): Promise<VfioLensSettings> {
    let s = settingsCache.get(uri);
    if (!s) {
      const raw: Promise<unknown> = canConfigure
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION }).catch((e: Error) => {
            log(`workspace/configuration failed (${e.message}); using defaults`);
            return undefined;
          })
        : Promise.resolve(globalSettings);
      s = raw.then((value) => {
        const { settings, problems } = normalizeSettings(value);
        for (const p of problems) connection.console.warn(p);
        return settings;
      });
      settingsCache.set(uri, s);
    }
    return s;
  }

  function published(result: AnalysedDocument, settings: VfioLensSettings): void {
    const shown = shownAnalysis(result, settings) ?? result;
    const line = statusLine(documentStatus(shown, settings.baseline));
    if (result.state.kind === 'failed') connection.console.error(line);
    else log(line);
    if (pullDiagnostics) {
      if (canRefreshDiagnostics) void connection.languages.diagnostics.refresh().catch(() => undefined);
    } else {
      void connection.sendDiagnostics({
        uri: result.uri,
        version: result.version,
        diagnostics: diagnosticsFor(shownAnalysis(result, settings)),
      });
    }
    if (canRefreshInlayHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (canRefreshCodeLens) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  function longAnalysis(uri: string, cancel: () => void): { done(): void } {
    if (!canReportProgress) return { done: () => undefined };
    let finished = false;
    let reporter: { done(): void } | undefined;
    void connection.window.createWorkDoneProgress().then(
      (r) => {
        if (finished) return r.done();
        reporter = r;
        r.begin('vfio-lens', undefined, `analysing ${uri.replace(/^.*\//, '')}`, true);
        r.token.onCancellationRequested(() => {
          log(`analysis of ${uri} cancelled by the user`);
          cancel();
        });
      },
      () => undefined,
    );
    return {
      done() {
        finished = true;
        reporter?.done();
      },
    };
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    life.initialize();
    const caps = params.capabilities ?? {};
    canConfigure = !!caps.workspace?.configuration;
    canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    canRefreshDiagnostics = !!caps.workspace?.diagnostics?.refreshSupport;
    canRefreshInlayHints = !!caps.workspace?.inlayHint?.refreshSupport;
    canRefreshCodeLens = !!caps.workspace?.codeLens?.refreshSupport;
    canReportProgress = !!caps.window?.workDoneProgress;
    const init = (params.initializationOptions ?? {}) as InitOptions;
    const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
    analyses = new DocumentAnalyses({
      runner,
      settingsFor,
      onAnalysed: published,
      onLongAnalysis: longAnalysis,
      log,
      debounceMs: num(init.debounceMs, 200),
      progressDelayMs: num(init.progressDelayMs, 500),
    });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: true,
        documentSymbolProvider: { label: 'vfio-lens' },
        foldingRangeProvider: true,
        ...(pullDiagnostics
          ? {
              diagnosticProvider: {
                identifier: 'vfio-lens',
                interFileDependencies: false,
                workspaceDiagnostics: false,
              },
            }
          : {}),
      },
      serverInfo: { name: 'vfio-lens', version: '0.1.0' },
    };
  });

  connection.onInitialized(
    life.notification('initialized', () => {
      if (canRegisterConfiguration) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
      }
    }),
  );

  connection.onDidChangeConfiguration(
    life.notification('workspace/didChangeConfiguration', (change) => {
      const raw = (change as { settings?: unknown } | null)?.settings;
      const settings = (raw as Record<string, unknown> | null | undefined)?.[SECTION];
      if (settings !== undefined) globalSettings = settings;
      settingsCache.clear();
      analyses?.refreshAll();
    }),
  );

  const need = () => {
    if (!analyses) throw new Error('the server is not initialised');
    return analyses;
  };
  /**
   * The last document closed: once the server has been idle a second, one full collection, so
   * what the closed documents' analyses took leaves the heap now (V8's own memory reducer waits
   * about 8 s and then often leaves it: the RSS after closing the 73 corpus and seed files was
   * 62-73 MB against 61 at the start). Only where the loader exposed V8's collector.
   */
  let collection: NodeJS.Timeout | undefined;
  const collectSoon = () => {
    clearTimeout(collection);
    collection = setTimeout(() => {
      if (analyses?.uris().length === 0) fullCollector()?.();
    }, 1000);
    collection.unref();
  };
  documents.onDidOpen((e) => {
    clearTimeout(collection);
    need().opened(e.document);
  });
  // Also fires right after onDidOpen; DocumentAnalyses ignores a version it has already seen.
  documents.onDidChangeContent((e) => need().changed(e.document));
  documents.onDidClose((e) => {
    need().closed(e.document.uri);
    settingsCache.delete(e.document.uri);
    if (need().uris().length === 0) {
      runner.release(); // the worker's memory goes back with its process
      collectSoon();
    }
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** The current analysis of a document as its settings show it (every feature reads this). */
  const shownCurrent = async (uri: string) =>
    shownAnalysis(await need().current(uri), await settingsFor(uri));

  // The LSP features are registered with their request types, not connection.onHover and its
  // kind: those read `params.workDoneToken` before the handler runs, so `params: null` was an
  // internal error (-32603) instead of the handler's InvalidParams.
  connection.onRequest(
    DocumentDiagnosticRequest.type,
    life.request('textDocument/diagnostic', async (params: unknown) => {
      const uri = textDocumentParam(params, 'textDocument/diagnostic');
      return { kind: 'full' as const, items: diagnosticsFor(await shownCurrent(uri)) };
    }),
  );

  connection.onRequest(
    HoverRequest.type,
    life.request('textDocument/hover', async (params: unknown) => {
      const uri = textDocumentParam(params, 'textDocument/hover');
      const position = positionParam((params as { position?: unknown }).position, 'position');
      const doc = documents.get(uri);
      if (!doc) return null;
      const a = need();
      const latest = a.latest(doc.uri);
      const analysed = latest && latest.version === doc.version ? latest : await a.current(doc.uri);
      return hoverAt(doc, position, shownAnalysis(analysed, await settingsFor(doc.uri)));
    }),
  );

  const analysedOutput = async (uri: string) => {
    const r = await shownCurrent(uri);
    return r?.state.kind === 'analysed' ? r.state.output : undefined;
  };

  connection.onRequest(
    InlayHintRequest.type,
    life.request('textDocument/inlayHint', async (params: unknown) => {
      const uri = textDocumentParam(params, 'textDocument/inlayHint');
      const range = rangeParam((params as { range?: unknown }).range, 'range');
      const doc = documents.get(uri);
      const output = doc && (await analysedOutput(doc.uri));
      if (!doc || !output) return [];
      return inlayHints(doc, output, range, await settingsFor(doc.uri));
    }),
  );

  const linesOf = (doc: TextDocument): Lines => ({
    lineCount: doc.lineCount,
    line: (n) => (n >= 0 && n < doc.lineCount ? lineOf(doc, n) : ''),
  });

  connection.onRequest(
    CodeLensRequest.type,
    life.request('textDocument/codeLens', async (params: unknown) => {
      const doc = documents.get(textDocumentParam(params, 'textDocument/codeLens'));
      const output = doc && (await analysedOutput(doc.uri));
      if (!doc || !output) return [];
      const mailInPlainText = roleOf(doc.languageId) === 'text' && output.read.kind !== 'diff';
      return codeLenses(doc.uri, output, linesOf(doc), { mailInPlainText });
    }),
  );

  connection.onRequest(
    DocumentSymbolRequest.type,
    life.request('textDocument/documentSymbol', async (params: unknown) => {
      const doc = documents.get(textDocumentParam(params, 'textDocument/documentSymbol'));
      const output = doc && (await analysedOutput(doc.uri));
      return doc && output ? documentSymbols(output, linesOf(doc)) : null;
    }),
  );

  connection.onRequest(
    FoldingRangeRequest.type,
    life.request('textDocument/foldingRange', async (params: unknown) => {
      const doc = documents.get(textDocumentParam(params, 'textDocument/foldingRange'));
      const output = doc && (await analysedOutput(doc.uri));
      // null: the editor folds by indentation, as it does without this server
      return doc && output ? foldingRanges(output, linesOf(doc)) : null;
    }),
  );

  connection.onRequest(
    CodeActionRequest.type,
    life.request('textDocument/codeAction', async (params: unknown) => {
      const uri = textDocumentParam(params, 'textDocument/codeAction');
      const range = rangeParam((params as { range?: unknown }).range, 'range');
      const output = await analysedOutput(uri);
      return output ? codeActions(uri, output, range) : [];
    }),
  );

  const ctx: custom.RequestContext = {
    facade: options.facade,
    analysisOf: shownCurrent,
    lineText: (uri, line) => {
      const doc = documents.get(uri);
      return doc && line >= 0 && line < doc.lineCount ? lineOf(doc, line) : undefined;
    },
    baselineSetting: async (uri) => (await settingsFor(uri)).baseline,
  };
  for (const request of custom.CUSTOM_REQUESTS) {
    connection.onRequest(
      request.method,
      life.request(request.method, (params: unknown, token) => request.handle(ctx, params, token)),
    );
  }
  connection.onRequest(
    ServerStatsRequest.method,
    life.request(ServerStatsRequest.method, (): ServerStats => {
      // a server started with --expose-gc (the memory test) collects before it measures
      (globalThis as { gc?: () => void }).gc?.();
      const analysisPid = runner.workerPid;
      const analysisRss = rssOf(analysisPid);
      return {
        pid: process.pid,
        rss: process.memoryUsage().rss + analysisRss,
        analysisRss,
        ...(analysisPid !== undefined ? { analysisPid } : {}),
        heapUsed: process.memoryUsage().heapUsed,
        youngGeneration:
          v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0,
        documents: need().uris().length,
        analysisTrims: runner.trims,
      };
    }),
  );
  // every other request: refused before initialize and after shutdown, else MethodNotFound
  connection.onRequest((method: string) => life.unknownRequest(method));

  connection.onShutdown(() => {
    life.shutdown();
    runner.dispose();
  });
  const listening = documents.listen(life.documentSync(connection));
  return {
    documents,
    get shutDown() {
      return life.shutDown;
    },
    dispose() {
      listening.dispose();
      runner.dispose();
    },
  };
}
