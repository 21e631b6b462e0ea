/**
 * `vfio-lens lsp --analysis-worker`: the language server's analysis thread (lsp/analysisRunner.ts
 * starts it). main.ts loads this module for it instead of lsp.ts, so the thread evaluates the
 * analysis and not the language server, its protocol library and its transports.
 */
import { isMainThread } from 'node:worker_threads';
import { UsageError } from './args';
import { serveAnalysisWorker } from '../lsp/analysisRunner';

export function analysisWorkerCommand(): Promise<number> {
  if (isMainThread) throw new UsageError('--analysis-worker is started by the language server itself');
  return serveAnalysisWorker();
}
