/**
 * The language server over stdio (the real server, dist/cli.js, as a child process):
 *  - didOpen -> diagnostics for the seed series and for the largest corpus thread (k13);
 *  - didChange -> new diagnostics on a 10,000-line document made from seed and corpus text;
 *  - hover latency over 1,000 hovers (median, p95);
 *  - the server's memory after opening every corpus and seed file.
 * Goals: open-to-diagnostics under 50 ms on the seed series; hover p95 under 5 ms.
 * Reads ../shared at run time; prints a report (scripts/bench.mjs also saves it).
 */
import type { Position } from 'vscode-languageserver-protocol';
import { corpusRealFiles, haveShared, readShared, seedFiles } from '../support/shared';
import { LspClient, cliPath } from '../protocol/lspClient';
import { processTreeRss } from './processTree';
import { analysisTimes } from './serverLogs';
import { RELEASE_AFTER_MS } from '../../server/src/lsp/analysisRunner';

const SEED = '002_4b73f9f607840218.txt';
const LARGEST = 'k13_hv-pci-command-memory_thread.mbox';

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
function stats(samples: number[]): { median: number; p95: number; min: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0], max: s[s.length - 1], n: s.length };
}
const ms = (v: number) => `${v.toFixed(2)} ms`;
const line = (label: string, s: ReturnType<typeof stats>) =>
  `${label.padEnd(44)} median ${ms(s.median)}  p95 ${ms(s.p95)}  min ${ms(s.min)}  max ${ms(s.max)}  (n=${s.n})`;

let uriSerial = 0;
async function openToDiagnostics(client: LspClient, languageId: string, text: string): Promise<number> {
  const uri = `file:///bench/${++uriSerial}`;
  const done = client.nextDiagnostics(uri, 1);
  const t0 = performance.now();
  client.open(uri, languageId, text);
  await done;
  const t = performance.now() - t0;
  client.close(uri);
  return t;
}

function languageOf(file: string): string {
  if (/\.(mbox|eml)$/.test(file)) return 'patch-mail';
  if (/\.(patch|diff)$/.test(file)) return 'diff';
  return 'plaintext';
}

/** Positions to hover: knowledge symbols and changed lines of the seed. */
function hoverPositions(text: string): Position[] {
  const out: Position[] = [];
  const lines = text.split('\n');
  const re =
    /is_virtfn|dev_flags|PCI_DEV_FLAGS_FORCE_COMMAND_MEM|PCI_COMMAND_MEMORY|vfio_bar_restore|zdev->vfn|return/g;
  lines.forEach((l, line) => {
    for (let m = re.exec(l); m; m = re.exec(l)) out.push({ line, character: m.index + 1 });
  });
  return out;
}

async function main(): Promise<void> {
  if (!haveShared()) {
    console.log('lsp bench: ../shared not found; nothing to measure');
    return;
  }
  const report: string[] = [`vfio-lens language server over stdio (${cliPath})`];
  const client = await LspClient.start({ initializationOptions: { debounceMs: 0 } });
  try {
    const seed = readShared('seeds', SEED);
    const cold = await openToDiagnostics(client, 'plaintext', seed);
    // the server stops its analysis worker when the last document closes (its memory goes back to
    // the system): one document stays open, so these opens meet a warm worker, as in an editor
    const keeper = 'file:///bench/keep.txt';
    const kept = client.nextDiagnostics(keeper, 1);
    client.open(keeper, 'plaintext', 'a note kept open\n');
    await kept;
    const seedRuns: number[] = [];
    const firstSeed = uriSerial + 1;
    for (let i = 0; i < 30; i++) seedRuns.push(await openToDiagnostics(client, 'plaintext', seed));
    const seedUris = new Set(seedRuns.map((_, i) => `file:///bench/${firstSeed + i}`));
    const seedStats = stats(seedRuns);
    report.push(`didOpen -> diagnostics, seed 002 (first open, cold)   ${ms(cold)}`);
    report.push(line('didOpen -> diagnostics, seed 002', seedStats));
    report.push(line('  of which the analysis itself (worker)', stats(analysisTimes(client, seedUris))));

    const largest = readShared('corpus', 'real', LARGEST);
    const largeRuns: number[] = [];
    for (let i = 0; i < 10; i++) largeRuns.push(await openToDiagnostics(client, 'patch-mail', largest));
    report.push(
      line(
        `didOpen -> diagnostics, ${LARGEST.slice(0, 3)} (${(largest.length / 1024).toFixed(0)} KB)`,
        stats(largeRuns),
      ),
    );
    client.close(keeper);
    // the last document closed: the worker stays RELEASE_AFTER_MS for the next one
    report.push(
      `didOpen -> diagnostics, seed 002 (just after the last document closed)   ${ms(await openToDiagnostics(client, 'plaintext', seed))}`,
    );
    // once that delay passed, the worker has ended: the next open starts a fresh one
    await client.analysisProcessEnded(RELEASE_AFTER_MS + 30_000);
    report.push(
      `didOpen -> diagnostics, seed 002 (after the worker ended, ${RELEASE_AFTER_MS / 1000} s later)   ${ms(await openToDiagnostics(client, 'plaintext', seed))}`,
    );

    // A 10,000-line document: seed and corpus text concatenated, cut at 10,000 lines.
    const pieces: string[] = [];
    let count = 0;
    const sources = [
      ...seedFiles().map((f) => readShared('seeds', f)),
      ...corpusRealFiles().map((f) => readShared('corpus', 'real', f)),
    ];
    for (let i = 0; count < 10_000; i = (i + 1) % sources.length) {
      pieces.push(sources[i]);
      count += sources[i].split('\n').length;
    }
    const bigLines = pieces.join('\n').split('\n').slice(0, 10_000);
    const uri = 'file:///bench/10k-lines.mbox';
    let version = 1;
    const opened = client.nextDiagnostics(uri, version);
    client.open(uri, 'patch-mail', bigLines.join('\n'), version);
    await opened;
    const changeRuns: number[] = [];
    for (let i = 0; i < 15; i++) {
      const target = (i * 997) % bigLines.length;
      bigLines[target] = bigLines[target] + ' ';
      version++;
      const done = client.nextDiagnostics(uri, version);
      const t0 = performance.now();
      client.rpc.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          {
            range: {
              start: { line: target, character: bigLines[target].length - 1 },
              end: { line: target, character: bigLines[target].length - 1 },
            },
            text: ' ',
          },
        ],
      });
      await done;
      changeRuns.push(performance.now() - t0);
    }
    report.push(line('didChange -> diagnostics, 10,000 lines (no debounce)', stats(changeRuns)));
    report.push(`  (the server debounces edits by 200 ms by default; this run set the debounce to 0)`);

    // Hovers on the seed, once analysed.
    const hoverUri = 'file:///bench/hover-seed.txt';
    const ready = client.nextDiagnostics(hoverUri, 1);
    client.open(hoverUri, 'plaintext', seed);
    await ready;
    const positions = hoverPositions(seed);
    const hoverRuns: number[] = [];
    let answered = 0;
    for (let i = 0; i < 1000; i++) {
      const position = positions[i % positions.length];
      const t0 = performance.now();
      const h = await client.request('textDocument/hover', { textDocument: { uri: hoverUri }, position });
      hoverRuns.push(performance.now() - t0);
      if (h) answered++;
    }
    const hoverStats = stats(hoverRuns);
    report.push(line(`hover (1,000 on ${positions.length} positions, ${answered} answered)`, hoverStats));

    // Memory after opening every corpus and seed file.
    const all = [
      ...seedFiles().map((f) => ({ name: f, text: readShared('seeds', f) })),
      ...corpusRealFiles().map((f) => ({ name: f, text: readShared('corpus', 'real', f) })),
    ];
    await Promise.all(
      all.map((f, i) => {
        const u = `file:///bench/all/${i}/${f.name}`;
        const p = client.nextDiagnostics(u, 1);
        client.open(u, languageOf(f.name), f.text);
        return p;
      }),
    );
    const st = await client.request<{ rss: number; heapUsed: number; documents: number }>(
      'vfioLens/stats',
      {},
    );
    const procRss = client.child.pid ? processTreeRss(client.child.pid) : undefined;
    const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
    report.push(
      `memory after opening all ${all.length} corpus and seed files: RSS ${mb(st.rss)}` +
        (procRss ? ` (/proc VmRSS of the server and its analysis process ${mb(procRss)})` : '') +
        `, main-thread heap ${mb(st.heapUsed)}, ${st.documents} documents open`,
    );

    const analysed = client.logs.filter((l) => /^analysed /.test(l)).length;
    const failed = client.logs.filter((l) => /failed/.test(l)).length;
    report.push(`analyses logged by the server: ${analysed} done, ${failed} failed`);
    report.push('');
    report.push(
      `goal: open-to-diagnostics on the seed series under 50 ms: median ${ms(seedStats.median)} -> ${seedStats.median < 50 ? 'met' : 'NOT met'}`,
    );
    report.push(
      `goal: hover p95 under 5 ms: ${ms(hoverStats.p95)} -> ${hoverStats.p95 < 5 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await client.stop();
  }
  console.log(report.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
