/**
 * vfio-lens analyze FILE...|- [--format text|json|sarif|b4] [--baseline ID] [--fail-on warning|error]
 * text: `file:line:col: severity: message [code]` lines (what editors' problem matchers read), then a
 * behaviour summary per document; json: the analysis; sarif: SARIF 2.1.0; b4: b4's review check
 * protocol (one mail on stdin, a JSON array of {tool, status, summary, details} on stdout).
 */
import { outsideScopeText } from '../analysis/scope';
import { SEVERITY_RANK } from '../analysis/attribute';
import { DEFAULT_BASELINE } from '../analysis/baseline';
import { analyzeCSource } from '../analysis/cSource';
import { analyzeText, initAnalysis } from '../analysis/index';
import type { AnyBehaviourChange, DocumentAnalysis, Finding, Severity } from '../analysis/types';
import { noModelledChangeText, notModelledCount, notModelledText } from '../analysis/summaryText';
import { KERNEL_TABLE, observedText, type KernelId } from '../model/index';
import { choice, option, parseArgs, UsageError } from './args';
import { readInputs, readStdin, type InputDocument } from './io';
import { toSarif } from './sarif';

const FORMATS = ['text', 'json', 'sarif', 'b4'] as const;
const RANK = SEVERITY_RANK;

export async function analyzeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['format', 'baseline', 'fail-on']);
  const format = choice(args, 'format', FORMATS, 'text');
  const baseline = option(args, 'baseline');
  if (baseline !== undefined && !KERNEL_TABLE.has(baseline)) {
    throw new UsageError(`--baseline must be one of ${KERNEL_TABLE.list()} (got "${baseline}")`);
  }
  const failOn = option(args, 'fail-on');
  if (failOn !== undefined && failOn !== 'warning' && failOn !== 'error') {
    throw new UsageError(`--fail-on must be warning or error (got "${failOn}")`);
  }
  const inputs =
    format === 'b4' && args.positional.length === 0
      ? [{ file: '<stdin>', text: readStdin() }]
      : readInputs(args.positional);
  await initAnalysis();
  if (format === 'b4') {
    // b4's modules (and the git they run, through node:child_process) load only for b4's format
    const { toB4 } = await import('./b4.js');
    const results = toB4(inputs, {
      baseline: baseline as KernelId | undefined,
      env: process.env,
      cwd: process.cwd(),
    });
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    return failOn && results.some((r) => r.status === 'fail' || (failOn === 'warning' && r.status === 'warn'))
      ? 1
      : 0;
  }
  const docs = inputs.map((d) => analyseDocument(d, baseline as KernelId | undefined));
  if (format === 'json') process.stdout.write(JSON.stringify({ documents: docs }, null, 2) + '\n');
  else if (format === 'sarif')
    process.stdout.write(JSON.stringify(toSarif(inputs, docs, { cwd: process.cwd() }), null, 2) + '\n');
  else process.stdout.write(toText(docs));
  if (failOn) {
    const limit = RANK[failOn as Severity];
    if (docs.some((d) => d.findings.some((f) => RANK[f.severity] >= limit))) return 1;
  }
  return 0;
}

/** A C file (`.c`, `.h`) gets the lints of a plain C file, as in the editor; anything else is read as patches. */
function analyseDocument(d: InputDocument, baseline: KernelId | undefined): DocumentAnalysis {
  if (!/\.[ch]$/i.test(d.file)) return analyzeText(d.text, { file: d.file, baseline }).result;
  const kernel = baseline ?? DEFAULT_BASELINE;
  return {
    file: d.file,
    baseline: {
      kernel,
      detected: false,
      detectedFrom: baseline ? 'set by the user' : `a C file, no pre-image: ${kernel} assumed`,
    },
    patches: [],
    findings: analyzeCSource(d.text, d.file, kernel),
  };
}

function loc(d: DocumentAnalysis, f: Finding): string {
  return `${d.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

/** A case's side in a few words: the vfio formatter's reading, or the zPCI one the side carries. */
const reading = (side: AnyBehaviourChange['before']) => ('model' in side ? side.reading : observedText(side));

/** The text format: every finding, then per document its baseline, patches and behaviour summary. */
export function toText(docs: DocumentAnalysis[]): string {
  const out: string[] = [];
  for (const d of docs) {
    for (const f of d.findings) out.push(`${loc(d, f)}: ${f.severity}: ${f.message} [${f.code}]`);
  }
  for (const d of docs) {
    out.push('', `== ${d.file}`, `baseline: ${d.baseline.kernel} (${d.baseline.detectedFrom})`);
    if (d.baseline.qemu) out.push(`QEMU baseline: ${d.baseline.qemu.id} (${d.baseline.qemu.detectedFrom})`);
    if (d.baseline.host)
      out.push(`host kernel baseline: ${d.baseline.host.id} (${d.baseline.host.detectedFrom})`);
    for (const p of d.patches) {
      const pos = p.index !== undefined ? `${p.index}/${p.total ?? '?'}` : '-';
      out.push(`patch ${pos} v${p.version}: ${p.subject || '(no subject)'}`);
    }
    const rows = new Map<string, string>();
    for (const f of d.findings) {
      if (f.kind !== 'behaviour-change') continue;
      for (const c of f.changes) {
        const key = `${c.device}  ${c.steps.join('; ')}`;
        if (!rows.has(key))
          rows.set(key, `${reading(c.before)} -> ${reading(c.after)}${c.internal ? ' (internal)' : ''}`);
      }
    }
    if (d.patches.length === 0 && rows.size === 0) out.push('behaviour: not compared: no patch here');
    else if (rows.size === 0) out.push(`behaviour: ${noModelledChangeText(d.findings)}`);
    else {
      out.push(`behaviour (device  steps: before -> after), ${rows.size} case(s):`);
      for (const [k, v] of [...rows].sort()) out.push(`  ${k}: ${v}`);
      const n = notModelledCount(d.findings);
      if (n > 0) out.push(`and ${notModelledText(n)}`);
    }
    if (d.outsideScope) out.push(outsideScopeText(d.outsideScope));
  }
  return out.join('\n') + '\n';
}
