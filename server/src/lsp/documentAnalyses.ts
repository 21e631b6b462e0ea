/**
 * One analysis per document version (and settings), cached: edits are debounced, the work of a
 * stale version is cancelled, and everything that needs the analysis (diagnostics, hovers, lenses,
 * custom requests) awaits the same result. Knows the documents, not the LSP features.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerAnalysis } from './serverAnalysis';
import type { Finding } from '../analysis/types';
import type { AnalysisJob, AnalysisRunner } from './analysisRunner';
import { analysisKey, analyzeOptionsFor, presentationKey, type VfioLensSettings } from './settings';

/** How a document is treated, from its languageId. */
export type DocumentRole = 'patch' | 'text' | 'c';

const ROLE_BY_LANGUAGE: Record<string, DocumentRole> = {
  diff: 'patch',
  patch: 'patch',
  'patch-mail': 'patch',
  mail: 'patch',
  email: 'patch',
  plaintext: 'text',
  text: 'text',
  c: 'c',
  cpp: 'c',
};

export function roleOf(languageId: string): DocumentRole {
  return ROLE_BY_LANGUAGE[languageId] ?? 'text';
}

export type AnalysisState =
  | { kind: 'analysed'; output: ServerAnalysis; ms: number }
  /** Plain text in which the reader found no patch or thread: nothing to say. */
  | { kind: 'not-a-patch'; output: ServerAnalysis }
  | { kind: 'too-large'; bytes: number; limit: number }
  | { kind: 'failed'; message: string }
  /** C source: hovers, and the line lints that apply to plain C (no patch analysis). */
  | { kind: 'c-source'; findings: Finding[] };

export interface AnalysedDocument {
  uri: string;
  version: number;
  state: AnalysisState;
}

interface Entry {
  doc: TextDocument;
  /** The last version told to us (TextDocuments updates the same object in place). */
  seen: number;
  key?: string;
  result?: AnalysedDocument & { key: string };
  /** The presentation (severities, inlay hints) the result was last published with. */
  published?: string;
  timer?: NodeJS.Timeout;
  job?: { version: number; key: string; job: AnalysisJob<AnalysisState> };
  waiters: ((r: AnalysedDocument | undefined) => void)[];
}

export interface DocumentAnalysesOptions {
  runner: Pick<AnalysisRunner, 'run' | 'runCSource'>;
  settingsFor(uri: string): Promise<VfioLensSettings>;
  /** Called with every fresh result of the current version. */
  onAnalysed(result: AnalysedDocument, settings: VfioLensSettings): void;
  /** Called around an analysis that runs longer than progressDelayMs. */
  onLongAnalysis?(uri: string, cancel: () => void): { done(): void };
  log(message: string): void;
  debounceMs: number;
  progressDelayMs: number;
}

export class DocumentAnalyses {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: DocumentAnalysesOptions) {}

  /** A document was opened: analyse at once. */
  opened(doc: TextDocument): void {
    this.entries.set(doc.uri, { doc, seen: doc.version, waiters: [] });
    this.schedule(doc.uri, 0);
  }

  /** A document changed: cancel stale work and analyse after the debounce. */
  changed(doc: TextDocument): void {
    const e = this.entries.get(doc.uri);
    if (!e) return this.opened(doc);
    if (e.seen === doc.version && e.doc === doc) return; // the open itself, or a repeat
    e.doc = doc;
    e.seen = doc.version;
    if (e.job && e.job.version !== doc.version) e.job.job.cancel();
    this.schedule(doc.uri, this.o.debounceMs);
  }

  closed(uri: string): void {
    const e = this.entries.get(uri);
    if (!e) return;
    if (e.timer) clearTimeout(e.timer);
    e.job?.job.cancel();
    for (const w of e.waiters) w(undefined);
    this.entries.delete(uri);
  }

  /** Settings changed: analyse every open document again. */
  refreshAll(): void {
    for (const uri of this.entries.keys()) this.schedule(uri, 0);
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  document(uri: string): TextDocument | undefined {
    return this.entries.get(uri)?.doc;
  }

  /** The last finished analysis, whatever its version (for quick answers while typing). */
  latest(uri: string): AnalysedDocument | undefined {
    return this.entries.get(uri)?.result;
  }

  /** The analysis of the document's current version (waits for it); undefined once closed. */
  current(uri: string): Promise<AnalysedDocument | undefined> {
    const e = this.entries.get(uri);
    if (!e) return Promise.resolve(undefined);
    if (e.result && e.result.version === e.doc.version && !e.timer && !e.job)
      return Promise.resolve(e.result);
    return new Promise((resolve) => e.waiters.push(resolve));
  }

  private schedule(uri: string, delay: number): void {
    const e = this.entries.get(uri);
    if (!e) return;
    if (e.timer) clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      void this.analyse(uri);
    }, delay);
  }

  private async analyse(uri: string): Promise<void> {
    const e = this.entries.get(uri);
    if (!e) return;
    // TextDocuments updates the document object in place: take the version and text now.
    const doc = e.doc;
    const version = doc.version;
    const text = doc.getText();
    const superseded = () =>
      this.entries.get(uri) !== e || e.doc.version !== version || e.timer !== undefined;
    const settings = await this.o.settingsFor(uri);
    if (superseded()) return;
    const key = analysisKey(settings);
    if (e.result && e.result.version === version && e.result.key === key) {
      // the same analysis: published again only when it is shown otherwise (a severity changed)
      const shownOtherwise = presentationKey(settings) !== e.published;
      return this.finish(e, e.result, shownOtherwise ? settings : undefined);
    }
    if (e.job) {
      if (e.job.version === version && e.job.key === key) return; // already running for this version
      e.job.job.cancel();
    }
    const state = this.precheck(text, settings);
    if (state) return this.finish(e, { uri, version, state, key }, settings);

    // C files too are read off the main thread (a 10 MiB one blocked every request for seconds)
    const role = roleOf(doc.languageId);
    const job: AnalysisJob<AnalysisState> =
      role === 'c'
        ? mapped(this.o.runner.runCSource(text, uri, watchdogFor(settings)), (findings) => ({
            kind: 'c-source',
            findings,
          }))
        : mapped(
            this.o.runner.run(text, analyzeOptionsFor(uri, settings), watchdogFor(settings)),
            (output, ms) => {
              const r = output.read;
              const isPatch = r.fileCount > 0 || r.patchCount > 0 || r.threadMessages > 0;
              return role === 'text' && !isPatch
                ? { kind: 'not-a-patch', output }
                : { kind: 'analysed', output, ms };
            },
          );
    let progress: { done(): void } | undefined;
    const progressTimer = setTimeout(() => {
      progress = this.o.onLongAnalysis?.(uri, () => job.cancel());
    }, this.o.progressDelayMs);
    const running = { version, key, job };
    e.job = running;
    const outcome = await job.outcome;
    clearTimeout(progressTimer);
    progress?.done();
    if (e.job === running) e.job = undefined;
    if (outcome.status === 'cancelled') {
      // A newer version or setting took over (it is scheduled); or the user cancelled: keep the old result.
      if (!e.timer && !e.job && this.entries.get(uri) === e) this.release(e);
      return;
    }
    let result: AnalysedDocument & { key: string };
    if (outcome.status === 'failed') {
      this.o.log(`analysis of ${uri} (version ${version}) failed: ${outcome.message}`);
      result = { uri, version, key, state: { kind: 'failed', message: firstLine(outcome.message) } };
    } else result = { uri, version, key, state: outcome.output };
    if (this.entries.get(uri) !== e) return;
    if (superseded() || e.job) {
      e.result = result; // stale but better than nothing for hovers; the newer run will replace it
      return;
    }
    this.finish(e, result, settings);
  }

  /** The size limit, on every kind of document (C files included). */
  private precheck(text: string, settings: VfioLensSettings): AnalysisState | undefined {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > settings.maxDocumentSize)
      return { kind: 'too-large', bytes, limit: settings.maxDocumentSize };
    return undefined;
  }

  private finish(e: Entry, result: AnalysedDocument & { key: string }, settings?: VfioLensSettings): void {
    e.result = result;
    if (settings) {
      e.published = presentationKey(settings);
      this.o.onAnalysed(result, settings);
    }
    this.release(e);
  }

  private release(e: Entry): void {
    const waiters = e.waiters;
    e.waiters = [];
    for (const w of waiters) w(e.result);
  }
}

/** A job whose output is turned into something else when it is done. */
function mapped<A, B>(job: AnalysisJob<A>, f: (output: A, ms: number) => B): AnalysisJob<B> {
  return {
    cancel: () => job.cancel(),
    outcome: job.outcome.then((o) => (o.status === 'done' ? { ...o, output: f(o.output, o.ms) } : o)),
  };
}

function watchdogFor(settings: VfioLensSettings): number {
  return Math.max(10_000, settings.analysisBudgetMs * 5);
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0];
}
