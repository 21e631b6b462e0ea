/**
 * "Copy as plain text": a trace (one or two kernels or QEMU versions) as text a reviewer can paste into a reply.
 * Every step's text and every decision's annotated expression come from the server (the model's
 * formatter); this only lays the two traces out side by side. No VS Code API here.
 */
import type { PageSimulation } from './messages';

export function traceToPlainText(
  device: string,
  labels: [string, string | null],
  a: PageSimulation,
  b: PageSimulation | null,
): string {
  const steps = a.trace.map((e) => e.action);
  const out = [`vfio-lens simulation: ${device}`, `steps: ${steps.join('; ')}`, ''];
  const width = Math.max(labels[0].length, labels[1]?.length ?? 0);
  const n = Math.max(a.trace.length, b?.trace.length ?? 0);
  for (let i = 0; i < n; i++) {
    const ea = a.trace[i];
    const eb = b?.trace[i];
    const action = ea?.action ?? eb?.action ?? '?';
    const la = ea ? ea.display.text : '(no step)';
    const lb = b ? (eb ? eb.display.text : '(no step)') : undefined;
    const differs = lb !== undefined && la !== lb;
    out.push(`${i + 1}. ${action}${differs ? '   <-- differs' : ''}`);
    out.push(`   ${labels[0].padEnd(width)}  ${la}`);
    if (b && lb !== undefined) out.push(`   ${(labels[1] ?? '').padEnd(width)}  ${lb}`);
    for (const [label, e] of [
      [labels[0], ea],
      [labels[1], eb],
    ] as const) {
      if (!differs || !e) continue;
      for (const why of e.why) out.push(`   ${label}: ${why.decision}: ${why.text} -> ${why.result}`);
      if ('log' in e && e.log) out.push(`   ${label}: log: ${e.log}`);
    }
  }
  return out.join('\n') + '\n';
}
