/**
 * The per-document analysis schedule, in-process with a runner whose jobs the test finishes by
 * hand: stale work is cancelled, one analysis per version, waiters get the current version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { JobOptions, JobOutcome } from '../../../server/src/lsp/analysisRunner';
import { DocumentAnalyses, type AnalysedDocument } from '../../../server/src/lsp/documentAnalyses';
import type { ServerAnalysis } from '../../../server/src/lsp/serverAnalysis';
import type { Finding } from '../../../server/src/analysis/types';
import { DEFAULT_SETTINGS } from '../../../server/src/lsp/settings';
import { diagnosticsFor } from '../../../server/src/lsp/diagnostics';
import { DiagnosticSeverity } from 'vscode-languageserver';

interface FakeJob {
  kind: 'document' | 'c-source';
  text: string;
  options: JobOptions;
  cancelled: boolean;
  finish(o: JobOutcome<unknown>): void;
}

function fakeOutput(fileCount: number): ServerAnalysis {
  return {
    result: {
      file: 'x',
      baseline: { kernel: null, detected: false, detectedFrom: 'test' },
      patches: [],
      findings: [],
    },
    decisions: [],
    policies: [],
    read: {
      kind: 'diff',
      lineCount: 1,
      patchCount: 0,
      fileCount,
      threadMessages: 0,
      messages: [],
      patches: [],
      files: [],
      hunks: [],
    },
  };
}

function setup(settings = DEFAULT_SETTINGS, progressDelayMs = 60_000) {
  const progress: { uri: string; cancel: () => void; done: boolean }[] = [];
  const jobs: FakeJob[] = [];
  const fakeJob = <O>(kind: FakeJob['kind'], text: string, options: JobOptions) => {
    let finish!: (o: JobOutcome<O>) => void;
    const outcome = new Promise<JobOutcome<O>>((resolve) => (finish = resolve));
    const job: FakeJob = { kind, text, options, cancelled: false, finish: finish as FakeJob['finish'] };
    jobs.push(job);
    return {
      outcome,
      cancel() {
        job.cancelled = true;
        finish({ status: 'cancelled' });
      },
    };
  };
  const published: AnalysedDocument[] = [];
  const analyses = new DocumentAnalyses({
    runner: {
      run: (text, options) => fakeJob<ServerAnalysis>('document', text, options),
      runCSource: (text, file) => fakeJob<Finding[]>('c-source', text, { file }),
    },
    settingsFor: async () => settings,
    onAnalysed: (r) => published.push(r),
    onLongAnalysis(uri, cancel) {
      const p = { uri, cancel, done: false };
      progress.push(p);
      return { done: () => (p.done = true) };
    },
    log: () => undefined,
    debounceMs: 0,
    progressDelayMs,
  });
  return { jobs, published, analyses, progress };
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setImmediate(r));
  }
}

test('an edit cancels the analysis of the older version; only the newest is published', async () => {
  const { jobs, published, analyses } = setup();
  const doc = TextDocument.create('file:///a.patch', 'diff', 1, 'one');
  analyses.opened(doc);
  await until(() => jobs[0]);
  TextDocument.update(doc, [{ text: 'two' }], 2);
  analyses.changed(doc);
  await until(() => jobs[1]);
  assert.equal(jobs[0].cancelled, true);
  assert.equal(jobs[1].text, 'two');
  const waiting = analyses.current(doc.uri);
  jobs[1].finish({ status: 'done', output: fakeOutput(1), ms: 1 });
  const result = await waiting;
  assert.equal(result?.version, 2);
  assert.equal(result?.state.kind, 'analysed');
  assert.deepEqual(
    published.map((p) => p.version),
    [2],
  );
});

test('one analysis per version: asking again, or a repeated notification, does not re-run it', async () => {
  const { jobs, analyses } = setup();
  const doc = TextDocument.create('file:///b.patch', 'diff', 1, 'text');
  analyses.opened(doc);
  await until(() => jobs[0]);
  analyses.changed(doc); // the onDidChangeContent that follows every open
  jobs[0].finish({ status: 'done', output: fakeOutput(1), ms: 1 });
  const [a, b] = await Promise.all([analyses.current(doc.uri), analyses.current(doc.uri)]);
  assert.equal(a, b);
  assert.equal(jobs.length, 1);
});

test('a severity change re-publishes the analysis it has, without running the model again', async () => {
  const settings = structuredClone(DEFAULT_SETTINGS);
  const { jobs, published, analyses } = setup(settings);
  const doc = TextDocument.create('file:///s.patch', 'diff', 1, 'text');
  analyses.opened(doc);
  await until(() => jobs[0]);
  jobs[0].finish({ status: 'done', output: fakeOutput(1), ms: 1 });
  await until(() => published[0]);
  analyses.refreshAll(); // settings changed, but not so that the analysis would
  await analyses.current(doc.uri);
  assert.equal(published.length, 1, 'nothing to show otherwise: no second publish');
  settings.severity = { 'behaviour-change': 'off' };
  analyses.refreshAll();
  await until(() => published[1]);
  assert.equal(jobs.length, 1, 'the model did not run again');
  assert.equal(published[1], published[0], 'the same analysis, published again');
  settings.baseline = 'v5.10';
  analyses.refreshAll();
  await until(() => jobs[1]);
  assert.equal(jobs[1].options.baseline, 'v5.10', 'a baseline change does analyse again');
});

test('a failed analysis is remembered as failed, not thrown', async () => {
  const { jobs, published, analyses } = setup();
  const doc = TextDocument.create('file:///c.patch', 'diff', 1, 'x');
  analyses.opened(doc);
  await until(() => jobs[0]);
  jobs[0].finish({ status: 'failed', message: 'Error: boom\n  at somewhere', ms: 1 });
  const r = await analyses.current(doc.uri);
  assert.deepEqual(r?.state, { kind: 'failed', message: 'Error: boom' });
  assert.equal(published.length, 1);
  // and it is said: one diagnostic with the reason, not an empty list that reads as "all fine"
  const shown = diagnosticsFor(r);
  assert.deepEqual(
    shown.map((d) => [d.code, d.severity, d.range.start.line]),
    [['analysis-failed', DiagnosticSeverity.Warning, 0]],
  );
  assert.match(
    String(shown[0].message),
    /could not analyse this document \(Error: boom\); .*none were computed/,
  );
});

test('the size limit holds for patches and C files; C files go to the runner; plain text without a patch is not a patch', async () => {
  const { jobs, analyses } = setup({ ...DEFAULT_SETTINGS, maxDocumentSize: 3 });
  const big = TextDocument.create('file:///d.patch', 'diff', 1, 'four');
  analyses.opened(big);
  assert.deepEqual((await analyses.current(big.uri))?.state, { kind: 'too-large', bytes: 4, limit: 3 });
  const bigC = TextDocument.create('file:///big.c', 'c', 1, 'long');
  analyses.opened(bigC);
  assert.deepEqual((await analyses.current(bigC.uri))?.state, { kind: 'too-large', bytes: 4, limit: 3 });
  assert.equal(jobs.length, 0);
  const c = TextDocument.create('file:///e.c', 'c', 1, 'int');
  analyses.opened(c);
  await until(() => jobs[0]);
  assert.deepEqual([jobs[0].kind, jobs[0].text, jobs[0].options.file], ['c-source', 'int', c.uri]);
  jobs[0].finish({ status: 'done', output: [], ms: 1 });
  assert.deepEqual((await analyses.current(c.uri))?.state, { kind: 'c-source', findings: [] });

  const other = setup();
  const text = TextDocument.create('file:///f.txt', 'plaintext', 1, 'prose');
  other.analyses.opened(text);
  await until(() => other.jobs[0]);
  other.jobs[0].finish({ status: 'done', output: fakeOutput(0), ms: 1 });
  assert.equal((await other.analyses.current(text.uri))?.state.kind, 'not-a-patch');
});

test('closing a document cancels its work and releases whoever waits', async () => {
  const { jobs, analyses } = setup();
  const doc = TextDocument.create('file:///g.patch', 'diff', 1, 'x');
  analyses.opened(doc);
  await until(() => jobs[0]);
  const waiting = analyses.current(doc.uri);
  analyses.closed(doc.uri);
  assert.equal(await waiting, undefined);
  assert.equal(jobs[0].cancelled, true);
});

test('a long analysis reports progress, and cancelling the progress cancels the analysis', async () => {
  const { jobs, published, analyses, progress } = setup(DEFAULT_SETTINGS, 0);
  const doc = TextDocument.create('file:///h.patch', 'diff', 1, 'x');
  analyses.opened(doc);
  await until(() => jobs[0]);
  const p = await until(() => progress[0]);
  assert.equal(p.uri, doc.uri);
  p.cancel();
  assert.equal(jobs[0].cancelled, true);
  await until(() => (p.done ? true : undefined));
  assert.equal(published.length, 0);
});
