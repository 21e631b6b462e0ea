/**
 * Fuzzing the language server (issue 13) as an editor drives it: the real server over stdio
 * (dist/cli.js lsp --stdio, as test/protocol does), each input opened as a document and every
 * request asked of it. A smaller property than the in-process ones (a server round trip per
 * request). Deadlines only turn a hang into a failure; nothing is measured against them.
 */
import { after, before, describe, test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ANALYSIS_SIZES, textInput } from './arbitraries';
import { PropertyFailure } from './checks';
import { buildText, describeInput, type TextInput } from './inputs';
import { DocumentGeometry, inspect } from './inspect';
import { cliPath, LspClient } from '../protocol/lspClient';
import { projectRoot } from '../support/shared';
import { runs, SEED } from './seeded';

/** LSP error codes that are a clear answer to a request, not a crash: InvalidParams, InvalidRequest, RequestFailed, cancelled. */
const CLEAR_ERRORS = new Set([-32602, -32600, -32803, -32800]);
/** A hang, not a speed: a request unanswered this long is a failure. */
const DEADLINE_MS = 120_000;

async function answered<T>(what: string, p: Promise<T>): Promise<{ value?: T; code?: number }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PropertyFailure('lsp', 'every request is answered', `${what}: no answer`)),
      DEADLINE_MS,
    );
  });
  try {
    return { value: await Promise.race([p, hang]) };
  } catch (e) {
    if (e instanceof PropertyFailure) throw e;
    const code = (e as { code?: number }).code;
    if (code !== undefined && CLEAR_ERRORS.has(code)) return { code };
    throw new PropertyFailure(
      'lsp',
      'no request fails inside the server',
      `${what}: ${(e as Error).message} (code ${code})`,
    );
  } finally {
    clearTimeout(timer);
  }
}

function inside(geometry: DocumentGeometry, what: string, value: unknown): void {
  inspect(value, (range, where) => {
    const problem = geometry.problem(range);
    if (problem)
      throw new PropertyFailure(
        'lsp',
        'every range lies inside the document',
        `${what} ${where()} ${problem}`,
      );
  });
}

/** What the CLI and the server must agree on of a finding. */
interface Comparable {
  code: string;
  severity: number;
  message: string;
  range: Diagnostic['range'];
}

const comparable = (ds: Diagnostic[]): Comparable[] =>
  ds.map((d) => ({
    code: String(d.code),
    severity: Number(d.severity),
    message: String(d.message),
    range: d.range,
  }));

let counter = 0;

/** Opens the input, waits for its diagnostics, asks every request, checks the answers. */
async function checkServer(
  client: LspClient,
  input: TextInput,
  positions: [number, number][],
): Promise<void> {
  const text = buildText(input);
  const geometry = new DocumentGeometry(text);
  const uri = `file:///fuzz/input-${++counter}.patch`;
  const twin = `file:///fuzz/input-${counter}-again.patch`;
  client.open(uri, 'patch-mail', text);
  try {
    const diagnostics = await client.waitForDiagnostics(uri, 1);
    diagnostics.forEach((d, i) => inside(geometry, `diagnostic ${i} (${String(d.code)})`, d));
    const lines = geometry.lengths.length;
    const at = positions.map(([l, c]) => ({
      line: Math.floor(l * (lines + 1)),
      character: Math.floor(c * 120),
    }));
    const whole = { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } };
    const doc = { textDocument: { uri } };
    for (const position of at) {
      const hover = await answered('hover', client.request('textDocument/hover', { ...doc, position }));
      inside(geometry, 'hover', hover.value);
      await answered('vfioLens/explain', client.request('vfioLens/explain', { uri, position }));
    }
    inside(
      geometry,
      'inlay hint',
      (await answered('inlayHint', client.request('textDocument/inlayHint', { ...doc, range: whole }))).value,
    );
    inside(
      geometry,
      'code lens',
      (await answered('codeLens', client.request('textDocument/codeLens', doc))).value,
    );
    const actions = await answered(
      'codeAction',
      client.request('textDocument/codeAction', { ...doc, range: whole, context: { diagnostics } }),
    );
    inside(geometry, 'code action', actions.value);
    await answered('vfioLens/summary', client.request('vfioLens/summary', { uri }));
    const after = { uri, side: 'after' };
    await answered(
      'vfioLens/simulate',
      client.request('vfioLens/simulate', {
        device: 'vf',
        kernel: after,
        steps: 'open; mmio-read; write-cmd 0x0002; mmio-read',
      }),
    );
    await answered(
      'vfioLens/compare',
      client.request('vfioLens/compare', { a: { uri, side: 'before' }, b: after, depth: 3 }),
    );
    await answered(
      'vfioLens/states',
      client.request('vfioLens/states', { device: 'pf', kernel: after, depth: 3 }),
    );
    // same input, same answer: the text again under another name
    client.open(twin, 'patch-mail', text);
    const again = await client.waitForDiagnostics(twin, 1);
    if (JSON.stringify(comparable(again)) !== JSON.stringify(comparable(diagnostics)))
      throw new PropertyFailure(
        'lsp',
        'same input, same output',
        `${diagnostics.length} diagnostics, then ${again.length}`,
      );
    if (!client.alive) throw new PropertyFailure('lsp', 'the server lives', 'it exited');
  } finally {
    client.close(uri);
    client.close(twin);
  }
}

/** The CLI's findings of a text, as the server would publish them (default settings, no budget). */
function cliDiagnostics(text: string): Comparable[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-fuzz-'));
  try {
    const file = path.join(dir, 'input.patch');
    fs.writeFileSync(file, text);
    const out = execFileSync(process.execPath, [cliPath, 'analyze', file, '--format', 'json'], {
      cwd: projectRoot,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const severity: Record<string, number> = { error: 1, warning: 2, information: 3, hint: 4 };
    const doc = (
      JSON.parse(out) as {
        documents: { findings: { code: string; severity: string; message: string; range: unknown }[] }[];
      }
    ).documents[0];
    return doc.findings.map((f) => ({
      code: f.code,
      severity: severity[f.severity],
      message: f.message,
      range: f.range as Diagnostic['range'],
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('fuzz: the language server over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ initializationOptions: { debounceMs: 10 } });
    // the comparison with the CLI needs the whole analysis: no time budget cut
    client.settings = { analysisBudgetMs: 600_000 };
  });
  after(async () => {
    await client?.stop();
  });

  test('every request on any document: answered, no internal error, ranges inside, same answer twice', async () => {
    const position = fc.tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    await fc.assert(
      fc.asyncProperty(
        textInput(ANALYSIS_SIZES),
        fc.array(position, { minLength: 1, maxLength: 3 }),
        (input, positions) => checkServer(client, input, positions),
      ),
      { seed: SEED, numRuns: runs(10) },
    );
  });

  test('the CLI (main-thread stack) and the server (worker) give the same findings on deeply nested C', async () => {
    const deep: TextInput[] = [
      { input: 'pathological', class: 'nested-parens', depth: 10_000 },
      { input: 'pathological', class: 'deep-ternary', depth: 3_000 },
      { input: 'pathological', class: 'or-chain', operands: 10_000 },
      { input: 'pathological', class: 'not-chain', count: 100_000 },
      { input: 'pathological', class: 'macro-body', terms: 20_000 },
      { input: 'pathological', class: 'nested-ifs', depth: 1_000, setter: false },
    ];
    for (const input of deep) {
      const text = buildText(input);
      const uri = `file:///fuzz/deep-${++counter}.patch`;
      client.open(uri, 'patch-mail', text);
      const served = comparable(await client.waitForDiagnostics(uri, 1));
      client.close(uri);
      const cli = cliDiagnostics(text);
      const key = (d: Comparable) =>
        `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.severity} ${d.message}`;
      const sort = (ds: Comparable[]) => ds.map(key).sort();
      if (JSON.stringify(sort(served)) !== JSON.stringify(sort(cli))) {
        throw new PropertyFailure(
          'lsp',
          'the CLI and the server agree',
          `${describeInput(input)}: server ${served.length} findings, CLI ${cli.length}`,
        );
      }
    }
  });
});
