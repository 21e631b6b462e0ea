/**
 * vfio-lens lsp: the language server over --stdio, --node-ipc (what the VS Code client uses) or
 * --socket=PORT. `--analysis-worker` is the server's own analysis thread, not for users.
 */
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import {
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  createConnection,
  createServerSocketTransport,
  type Connection,
} from 'vscode-languageserver/node';
import { UsageError, parseArgs } from './args';
import { serveAnalysisWorker } from '../lsp/analysisRunner';
import { createServer } from '../lsp/server';
import { simulationFacade } from '../lsp/facade';

function connectionFor(argv: string[]): Connection {
  const args = parseArgs(argv, ['socket', 'clientProcessId'], ['stdio', 'node-ipc']);
  if (args.positional.length) throw new UsageError(`unexpected argument "${args.positional[0]}"`);
  const socket = args.options.get('socket')?.at(-1);
  const chosen = [args.flags.has('stdio'), args.flags.has('node-ipc'), socket !== undefined].filter(
    Boolean,
  ).length;
  if (chosen !== 1)
    throw new UsageError('choose exactly one transport: --stdio, --node-ipc or --socket=PORT');
  if (args.flags.has('stdio')) return createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  if (args.flags.has('node-ipc')) {
    if (!process.send)
      throw new UsageError('--node-ipc needs to be started by a parent Node process with an IPC channel');
    return createConnection(
      ProposedFeatures.all,
      new IPCMessageReader(process),
      new IPCMessageWriter(process),
    );
  }
  const port = Number(socket);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new UsageError(`--socket must be a port number (got "${socket}")`);
  const [reader, writer] = createServerSocketTransport(port);
  return createConnection(ProposedFeatures.all, reader, writer);
}

/** The CLI script that can be started again as the analysis worker, if we are running from it. */
function workerScript(): string | undefined {
  const script = process.argv[1];
  return script && /^(cli|main)\.js$/.test(path.basename(script)) ? script : undefined;
}

export async function lspCommand(argv: string[]): Promise<number> {
  if (argv.includes('--analysis-worker')) {
    if (isMainThread) throw new UsageError('--analysis-worker is started by the language server itself');
    return serveAnalysisWorker();
  }
  const connection = connectionFor(argv);
  // The server must outlive a bug in one request or one analysis: log it and keep serving.
  process.on('uncaughtException', (e) => connection.console.error(`vfio-lens: uncaught ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) =>
    connection.console.error(`vfio-lens: unhandled rejection ${String(e)}`),
  );
  createServer(connection, { facade: simulationFacade(), workerScript: workerScript() });
  connection.listen();
  // Runs until the client exits it (the connection ends the process).
  return new Promise<number>(() => undefined);
}
