/**
 * vfio-lens simulate --device ID --kernel ID --steps "open; write-cmd 0x0002; read-cmd; mmio-read"
 *                    [--format text|json] [--explain]
 * Runs a step script on one device kind under one kernel variant and prints the trace. A zPCI
 * device kind or --qemu ID runs the zPCI model instead (cli/zpci.ts).
 */
import { initCParser } from '../csrc/treeSitter';
import {
  StepScriptError,
  UnknownIdError,
  checkDevice,
  kernelSpec,
  simulateScript,
} from '../analysis/modelRuns';
import {
  DEVICE_KIND_TABLE,
  KERNEL_TABLE,
  decodeCommand,
  hex4,
  parseSteps,
  type KernelId,
  type TraceEntry,
} from '../model/index';
import { UsageError, choice, option, parseArgs } from './args';
import { InputError } from './io';
import { simulateZpciCommand, wantsZpci } from './zpci';

/** A trace entry with its fields in the documented order (and only those that apply). */
export function orderedEntry(e: TraceEntry): Record<string, unknown> {
  const out: Record<string, unknown> = { step: e.step, action: e.action };
  if (e.outcome !== undefined) out.outcome = e.outcome;
  if (e.read !== undefined) out.read = e.read;
  if (e.restore !== undefined) out.restore = e.restore;
  if (e.log !== undefined) out.log = e.log;
  out.zap = e.zap;
  out.virt = e.virt;
  out.hw = e.hw;
  out.why = e.why;
  if (e.notes) out.notes = e.notes;
  if (e.dependsOn) out.dependsOn = e.dependsOn;
  if (e.config) out.config = e.config;
  out.display = e.display;
  return out;
}

function required(args: ReturnType<typeof parseArgs>, name: string, valid?: readonly string[]): string {
  const v = option(args, name);
  if (v === undefined || v === '') {
    throw new UsageError(`--${name} is required` + (valid ? `; one of: ${valid.join(', ')}` : ''));
  }
  return v;
}

/** Turns an unknown device or kernel id into a usage error listing the valid ones. */
export function checkIds(device: string | undefined, kernels: string[]): void {
  try {
    if (device !== undefined) checkDevice(device);
    for (const k of kernels) kernelSpec(k);
  } catch (e) {
    if (e instanceof UnknownIdError) throw new UsageError(e.message);
    throw e;
  }
}

function bits(value: number): string {
  return `${hex4(value)} ${decodeCommand(value)}`;
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
}

/** A readable table of a trace, with decoded bits; with explain, each decision and its operands. */
export function formatTrace(trace: TraceEntry[], explain: boolean): string {
  const header = ['#', 'step', 'outcome', 'read', 'restore', 'zap', 'virtual COMMAND', 'hardware COMMAND'];
  const rows = trace.map((e) => [
    String(e.step),
    e.action,
    e.outcome ?? '',
    e.read === undefined ? '' : bits(e.read),
    e.restore ?? '',
    e.zap ? 'zap' : '',
    bits(e.virt),
    bits(e.hw),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [row(header, widths)];
  trace.forEach((e, i) => {
    lines.push(row(rows[i], widths));
    if (e.log) lines.push(`     log: ${e.log}`);
    if (e.dependsOn) lines.push(`     depends on unknown: ${e.dependsOn.join(', ')}`);
    if (!explain) return;
    for (const w of e.why) {
      lines.push(`     ${w.decision}: ${w.expression}  => ${w.result}`);
      for (const o of w.operands)
        lines.push(`       ${o.name} = ${o.value}${o.meaning ? `  (${o.meaning})` : ''}`);
    }
    for (const n of e.notes ?? []) lines.push(`     note: ${n}`);
  });
  return lines.join('\n');
}

export async function simulateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'kernel', 'qemu', 'host', 'steps', 'format'], ['explain']);
  if (args.positional.length) throw new UsageError(`unexpected argument "${args.positional[0]}"`);
  const format = choice(args, 'format', ['text', 'json'] as const, 'text');
  if (wantsZpci(args)) return simulateZpciCommand(args, format);
  const device = required(args, 'device', DEVICE_KIND_TABLE.ids);
  const kernel = required(args, 'kernel', KERNEL_TABLE.ids);
  const steps = required(args, 'steps');
  checkIds(device, [kernel]);
  const explain = args.flags.has('explain');
  let result;
  try {
    parseSteps(steps);
    await initCParser();
    result = simulateScript(checkDevice(device), kernel as KernelId, steps, true);
  } catch (e) {
    if (e instanceof StepScriptError) throw new InputError(`--steps: ${e.message}`);
    throw e;
  }
  if (format === 'json') {
    const out: Record<string, unknown> = {
      device: result.device,
      kernel: result.kernel,
      trace: result.trace.map(orderedEntry),
    };
    if (result.branches) {
      out.branches = result.branches.map((b) => ({
        assumptions: b.assumptions,
        trace: b.trace.map(orderedEntry),
      }));
    }
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const header = `device ${result.device}, kernel ${result.kernel}`;
  if (!result.branches) {
    process.stdout.write(`${header}\n${formatTrace(result.trace, explain)}\n`);
    return 0;
  }
  const parts = result.branches.map((b) => {
    const assumed = Object.entries(b.assumptions).map(([name, value]) => `${name} = ${value}`);
    return `assuming ${assumed.join(', ')} (unknown to the model):\n${formatTrace(b.trace, explain)}`;
  });
  process.stdout.write(`${header}: ${result.branches.length} branches\n${parts.join('\n\n')}\n`);
  return 0;
}
