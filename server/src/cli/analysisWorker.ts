/**
 * `vfio-lens lsp --analysis-worker`: the language server's analysis process (lsp/analysisRunner.ts
 * forks it, with an IPC channel and a cancel file). main.ts loads this module for it instead of
 * lsp.ts, so the worker evaluates the analysis and not the language server, its protocol library
 * and its transports.
 */
import { UsageError } from './args';
import { serveAnalysisWorker } from '../lsp/analysisRunner';

export function analysisWorkerCommand(): Promise<number> {
  if (typeof process.send !== 'function')
    throw new UsageError('--analysis-worker is started by the language server itself');
  return serveAnalysisWorker();
}
