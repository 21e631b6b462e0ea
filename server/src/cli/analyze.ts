/**
 * vfio-lens analyze FILE...|- [--format text|json|sarif|b4] [--baseline ID] [--fail-on warning|error]
 * text: `file:line:col: severity: message [code]` lines (what editors' problem matchers read), then a
 * behaviour summary per document; json: the analysis; sarif: SARIF 2.1.0; b4: b4's review check
 * protocol (one mail on stdin, a JSON array of {tool, status, summary, details} on stdout).
 */
import { SEVERITY_RANK } from '../analysis/attribute';
import { analyzeText, initAnalysis, type AnalysisOutput } from '../analysis/index';
import type { DocumentAnalysis, Finding, Severity } from '../analysis/types';
import { KERNEL_TABLE, observedText, type KernelId } from '../model/index';
import { choice, option, parseArgs, UsageError } from './args';
import { toB4 } from './b4';
import { readInputs, readStdin } from './io';
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
  const outputs = inputs.map((d) =>
    analyzeText(d.text, { file: d.file, baseline: baseline as KernelId | undefined }),
  );
  const docs = outputs.map((o) => o.result);
  if (format === 'json') process.stdout.write(JSON.stringify({ documents: docs }, null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(JSON.stringify(toSarif(docs), null, 2) + '\n');
  else if (format === 'b4') process.stdout.write(JSON.stringify(toB4(outputs), null, 2) + '\n');
  else process.stdout.write(toText(outputs));
  if (failOn) {
    const limit = RANK[failOn as Severity];
    if (docs.some((d) => d.findings.some((f) => RANK[f.severity] >= limit))) return 1;
  }
  return 0;
}

function loc(d: DocumentAnalysis, f: Finding): string {
  return `${d.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

function toText(outputs: AnalysisOutput[]): string {
  const out: string[] = [];
  for (const { result: d } of outputs) {
    for (const f of d.findings) out.push(`${loc(d, f)}: ${f.severity}: ${f.message} [${f.code}]`);
  }
  for (const { result: d } of outputs) {
    out.push('', `== ${d.file}`, `baseline: ${d.baseline.kernel} (${d.baseline.detectedFrom})`);
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
          rows.set(
            key,
            `${observedText(c.before)} -> ${observedText(c.after)}${c.internal ? ' (internal)' : ''}`,
          );
      }
    }
    if (rows.size === 0) out.push('behaviour: no change for any modelled device');
    else {
      out.push(`behaviour (device  steps: before -> after), ${rows.size} case(s):`);
      for (const [k, v] of [...rows].sort()) out.push(`  ${k}: ${v}`);
    }
  }
  return out.join('\n') + '\n';
}
