/**
 * "Copy as plain text": a trace (one or two kernels) as text a reviewer can paste into a reply.
 * Shared by the panel and the commands; no VS Code API here.
 */
import type { SimulateResult } from '../../../server/src/lsp/protocol';
import type { TraceEntry } from '../../../server/src/model/types';
import { decodeCommand, hex16 } from './commandBits';

/** The observable facts of one step, in one line. */
export function describeEntry(e: TraceEntry): string {
  const parts: string[] = [];
  if (e.outcome) parts.push(e.outcome);
  if (e.read !== undefined) parts.push(`read ${hex16(e.read)} (${decodeCommand(e.read)})`);
  if (e.restore && e.restore !== 'none') parts.push(`BAR restore ${e.restore}`);
  parts.push(`virt ${decodeCommand(e.virt)}`, `hw ${decodeCommand(e.hw)}`);
  if (e.zap) parts.push('mmaps zapped');
  return parts.join(', ');
}

export function traceToPlainText(
  device: string,
  labels: [string, string | null],
  a: SimulateResult,
  b: SimulateResult | null,
): string {
  const steps = a.trace.map((e) => e.action);
  const out = [`vfio-lens simulation: ${device}`, `steps: ${steps.join('; ')}`, ''];
  const width = Math.max(labels[0].length, labels[1]?.length ?? 0);
  const n = Math.max(a.trace.length, b?.trace.length ?? 0);
  for (let i = 0; i < n; i++) {
    const ea = a.trace[i];
    const eb = b?.trace[i];
    const action = ea?.action ?? eb?.action ?? '?';
    const la = ea ? describeEntry(ea) : '(no step)';
    const lb = b ? (eb ? describeEntry(eb) : '(no step)') : undefined;
    const differs = lb !== undefined && la !== lb;
    out.push(`${i + 1}. ${action}${differs ? '   <-- differs' : ''}`);
    out.push(`   ${labels[0].padEnd(width)}  ${la}`);
    if (b && lb !== undefined) out.push(`   ${(labels[1] ?? '').padEnd(width)}  ${lb}`);
    for (const [label, e] of [
      [labels[0], ea],
      [labels[1], eb],
    ] as const) {
      if (!differs || !e) continue;
      for (const why of e.why) {
        const ops = why.operands.map((o) => `${o.name}=${o.value}`).join(', ');
        out.push(`   ${label}: ${why.decision}: ${why.expression} [${ops}] -> ${why.result}`);
      }
      if (e.log) out.push(`   ${label}: log: ${e.log}`);
    }
  }
  return out.join('\n') + '\n';
}
