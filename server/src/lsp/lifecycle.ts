/**
 * The server's life as LSP defines it. Before `initialize` a request is answered
 * ServerNotInitialized (-32002) and a notification dropped; after `shutdown` a request is
 * InvalidRequest (-32600) and a notification dropped (`exit`, which ends the process, is the
 * library's). The text-document notifications are checked before TextDocuments sees them: one
 * without its fields (a didOpen without `text`) is logged and dropped, not a rejection later.
 */
import {
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type Disposable,
} from 'vscode-languageserver';
import { isObject, quoted } from './params';

type State = 'starting' | 'running' | 'shut-down';

export class Lifecycle {
  private state: State = 'starting';

  constructor(private readonly log: (message: string) => void) {}

  get running(): boolean {
    return this.state === 'running';
  }

  get shutDown(): boolean {
    return this.state === 'shut-down';
  }

  /** The error a request gets now, if the server's state refuses it. */
  refusal(method: string): ResponseError | undefined {
    if (this.state === 'starting')
      return new ResponseError(
        ErrorCodes.ServerNotInitialized,
        `${method}: the server is not initialised (send initialize first)`,
      );
    if (this.state === 'shut-down')
      return new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shut down (send exit)`);
    return undefined;
  }

  /** `initialize` was answered: requests are served from now on. A second one is refused. */
  initialize(): void {
    if (this.state !== 'starting')
      throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize: the server was initialised already');
    this.state = 'running';
  }

  shutdown(): void {
    const refused = this.refusal('shutdown');
    if (refused) throw refused;
    this.state = 'shut-down';
  }

  /** A request handler that runs only while the server is running. */
  request<P, R>(
    method: string,
    handler: (params: P, token: CancellationToken) => R,
  ): (params: P, token: CancellationToken) => R {
    return (params, token) => {
      const refused = this.refusal(method);
      if (refused) throw refused;
      return handler(params, token);
    };
  }

  /** A notification handler that runs only while the server is running (else the notification is dropped). */
  notification<P>(method: string, handler: (params: P) => void): (params: P) => void {
    return (params) => {
      if (!this.running) return this.log(`${method} dropped: the server is ${this.state}`);
      handler(params);
    };
  }

  /** Every request nobody registered: refused by the state, else MethodNotFound. */
  unknownRequest(method: string): never {
    throw (
      this.refusal(method) ??
      new ResponseError(ErrorCodes.MethodNotFound, `${method}: the vfio-lens server has no such request`)
    );
  }

  /**
   * The connection as TextDocuments should listen to it: its document notifications pass only
   * while running and only with the fields TextDocuments reads.
   */
  documentSync(connection: Connection): Connection {
    const sync = Object.create(connection) as Connection & { __textDocumentSync?: unknown };
    Object.defineProperty(sync, '__textDocumentSync', {
      get: () => (connection as { __textDocumentSync?: unknown }).__textDocumentSync,
      set: (v) => ((connection as { __textDocumentSync?: unknown }).__textDocumentSync = v),
    });
    const checked =
      <P>(
        method: string,
        register: (h: (p: P) => void) => Disposable,
        problem: (p: unknown) => string | undefined,
      ) =>
      (handler: (p: P) => void) =>
        register(
          this.notification(method, (p: P) => {
            const why = problem(p);
            if (why) return this.log(`${method} dropped: ${why}; got ${quoted(p)}`);
            handler(p);
          }),
        );
    sync.onDidOpenTextDocument = checked(
      'textDocument/didOpen',
      (h) => connection.onDidOpenTextDocument(h),
      openProblem,
    );
    sync.onDidChangeTextDocument = checked(
      'textDocument/didChange',
      (h) => connection.onDidChangeTextDocument(h),
      changeProblem,
    );
    sync.onDidCloseTextDocument = checked(
      'textDocument/didClose',
      (h) => connection.onDidCloseTextDocument(h),
      closeProblem,
    );
    return sync;
  }
}

const uriOf = (p: unknown): string | undefined => {
  if (!isObject(p) || !isObject(p.textDocument)) return 'textDocument: expected an object';
  return typeof p.textDocument.uri === 'string' && p.textDocument.uri
    ? undefined
    : 'textDocument.uri: expected a document URI string';
};

function openProblem(p: unknown): string | undefined {
  const why = uriOf(p);
  if (why) return why;
  const d = (p as { textDocument: Record<string, unknown> }).textDocument;
  if (typeof d.text !== 'string') return 'textDocument.text: expected the document text as a string';
  if (typeof d.languageId !== 'string') return 'textDocument.languageId: expected a string';
  if (!Number.isInteger(d.version)) return 'textDocument.version: expected a whole number';
  return undefined;
}

const isPosition = (v: unknown) => isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.character);

function changeProblem(p: unknown): string | undefined {
  const why = uriOf(p);
  if (why) return why;
  const params = p as { textDocument: Record<string, unknown>; contentChanges?: unknown };
  if (!Number.isInteger(params.textDocument.version)) return 'textDocument.version: expected a whole number';
  if (!Array.isArray(params.contentChanges)) return 'contentChanges: expected an array';
  for (const [i, c] of params.contentChanges.entries()) {
    if (!isObject(c) || typeof c.text !== 'string') return `contentChanges[${i}].text: expected a string`;
    if (c.range !== undefined && !(isObject(c.range) && isPosition(c.range.start) && isPosition(c.range.end)))
      return `contentChanges[${i}].range: expected { start, end } positions`;
  }
  return undefined;
}

const closeProblem = uriOf;
