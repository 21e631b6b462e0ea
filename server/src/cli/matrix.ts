/**
 * vfio-lens matrix [--format text|json|markdown]
 * Named scenarios x device kinds x kernel variants, each cell what the user sees.
 */
import { behaviourMatrix } from '../analysis/modelRuns';
import { initCParser } from '../csrc/treeSitter';
import type { MatrixResult } from '../analysis/types';
import { UsageError, choice, parseArgs } from './args';

function cell(m: MatrixResult, scenario: string, device: string, kernel: string): string {
  return (
    m.cells.find((c) => c.scenario === scenario && c.device === device && c.kernel === kernel)?.summary ?? ''
  );
}

/** Drops the steps every cell of a scenario shares as written, keeping what differs. */
function markdown(m: MatrixResult): string {
  const out: string[] = [];
  for (const s of m.scenarios) {
    out.push(`### ${s.id}`, '', `${s.description} Steps: \`${s.steps.join('; ')}\``, '');
    out.push(`| device | ${m.kernels.join(' | ')} |`, `|---|${m.kernels.map(() => '---').join('|')}|`);
    for (const d of m.devices) {
      out.push(`| ${d} | ${m.kernels.map((k) => cell(m, s.id, d, k).replace(/\|/g, '\\|')).join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function text(m: MatrixResult): string {
  const out: string[] = [];
  const width = Math.max(...m.kernels.map((k) => k.length));
  for (const s of m.scenarios) {
    out.push(`== ${s.id}: ${s.steps.join('; ')}`, `   ${s.description}`);
    for (const d of m.devices) {
      out.push(`  ${d}`);
      for (const k of m.kernels) out.push(`    ${k.padEnd(width)}  ${cell(m, s.id, d, k)}`);
    }
  }
  return out.join('\n');
}

export async function matrixCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['format']);
  if (args.positional.length) throw new UsageError(`unexpected argument "${args.positional[0]}"`);
  const format = choice(args, 'format', ['text', 'json', 'markdown'] as const, 'text');
  await initCParser();
  const m = behaviourMatrix();
  const rendered =
    format === 'json' ? JSON.stringify(m, null, 2) : format === 'markdown' ? markdown(m) : text(m);
  process.stdout.write(rendered + '\n');
  return 0;
}
