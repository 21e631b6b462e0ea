/**
 * vfio-lens lsp: the language server over --stdio, --node-ipc (what the VS Code client uses) or
 * --socket=PORT. `--analysis-worker` is the server's own analysis process, not for users.
 */
import * as net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import {
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  createConnection,
  type Connection,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { UsageError, parseArgs } from './args';
import { DEFAULT_QUIET_MS, FramingGuard } from '../lsp/framing';
import { createServer } from '../lsp/server';
import { simulationFacade } from '../lsp/facade';
import { workerScriptOf } from '../lsp/analysisProcess';

/** Ends the server with its reason on stderr (and in the client's log, if that still works). */
type Fatal = (reason: string) => void;

interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
}

/**
 * A byte-stream transport (stdio, a socket): the framing guard between the bytes and the reader,
 * so a message that cannot be framed ends the connection instead of leaving it deaf.
 */
function streamTransport(input: Readable, output: Writable, quietMs: number, fatal: Fatal): Transport {
  const guard = new FramingGuard(quietMs);
  guard.on('error', (e: Error) => fatal(`the client's messages cannot be read: ${e.message}`));
  input.on('error', (e: Error) => fatal(`the input stream failed: ${e.message}`));
  output.on('error', (e: Error) => fatal(`the output stream failed: ${e.message}`));
  input.pipe(guard);
  return { reader: new StreamMessageReader(guard), writer: new StreamMessageWriter(output) };
}

function transportFor(argv: string[], fatal: Fatal): Transport {
  const args = parseArgs(argv, ['socket', 'clientProcessId', 'message-timeout'], ['stdio', 'node-ipc']);
  if (args.positional.length) throw new UsageError(`unexpected argument "${args.positional[0]}"`);
  const socket = args.options.get('socket')?.at(-1);
  const chosen = [args.flags.has('stdio'), args.flags.has('node-ipc'), socket !== undefined].filter(
    Boolean,
  ).length;
  if (chosen !== 1)
    throw new UsageError('choose exactly one transport: --stdio, --node-ipc or --socket=PORT');
  const timeout = args.options.get('message-timeout')?.at(-1);
  const quietMs = timeout === undefined ? DEFAULT_QUIET_MS : Number(timeout);
  if (!Number.isInteger(quietMs) || quietMs < 0)
    throw new UsageError(`--message-timeout must be a whole number of milliseconds (got "${timeout}")`);
  if (args.flags.has('stdio')) {
    // stdout carries the protocol: whatever a library prints goes to stderr
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
      console[level] = (...a: unknown[]) => process.stderr.write(a.map(String).join(' ') + '\n');
    return streamTransport(process.stdin, process.stdout, quietMs, fatal);
  }
  if (args.flags.has('node-ipc')) {
    if (!process.send)
      throw new UsageError('--node-ipc needs to be started by a parent Node process with an IPC channel');
    return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
  }
  const port = Number(socket);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new UsageError(`--socket must be a port number (got "${socket}")`);
  const connection = net.createConnection(port, '127.0.0.1');
  return streamTransport(connection, connection, quietMs, fatal);
}

export async function lspCommand(argv: string[]): Promise<number> {
  /** Set once the connection exists (a fatal error may come before). */
  const opened: { connection?: Connection } = {};
  let shutDown = () => false;
  let ending = false;
  const fatal: Fatal = (reason) => {
    if (ending) return;
    ending = true;
    const line = `vfio-lens lsp: ${reason}; the server ends the connection (a client can start it again)`;
    process.stderr.write(line + '\n');
    try {
      opened.connection?.console.error(line);
    } catch {
      // the connection is what broke
    }
    process.exit(1);
  };
  const { reader, writer } = transportFor(argv, fatal);
  reader.onError((e) => fatal(`a message could not be read: ${e.message}`));
  writer.onError(([e]) => fatal(`a message could not be written: ${e.message}`));
  // The client closed the connection: exit, 0 after a shutdown request (as the LSP says), else 1.
  reader.onClose(() => {
    if (ending) return;
    ending = true;
    process.exit(shutDown() ? 0 : 1);
  });
  const live = createConnection(ProposedFeatures.all, reader, writer);
  opened.connection = live;
  // The server must outlive a bug in one request or one analysis: log it and keep serving.
  process.on('uncaughtException', (e) => live.console.error(`vfio-lens: uncaught ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => live.console.error(`vfio-lens: unhandled rejection ${String(e)}`));
  const server = createServer(live, {
    facade: simulationFacade(),
    workerScript: workerScriptOf(process.argv[1]),
  });
  shutDown = () => server.shutDown;
  live.listen();
  // Runs until the client exits it (the connection ends the process).
  return new Promise<number>(() => undefined);
}
