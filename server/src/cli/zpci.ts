/**
 * simulate, compare and matrix for the zPCI model: chosen by `--qemu ID` (a QEMU version) or a
 * zPCI device kind (`--device ism`), on a host kernel (`--host ID`, default the newest modelled).
 *   vfio-lens simulate --device ism --qemu v8.0 --steps "plug; enable; pcistb 0 0 4096" [--host ID]
 *   vfio-lens compare --qemu A --qemu B [--device ID] [--host H [--host H2]] [--depth N] [--internal]
 *   vfio-lens matrix --model zpci | --qemu A [--qemu B ...] [--host ID]
 * JSON shapes as the vfio ones (analysis/zpciTypes.ts); an unknown id names the valid ones (exit 2).
 */
import { initCParser } from '../csrc/treeSitter';
import {
  UnknownIdError,
  compareZpciVersions,
  isZpciDevice,
  simulateZpci,
  zpciMatrix,
} from '../analysis/zpciRuns';
import type { ZpciCompareResult, ZpciTraceStep } from '../analysis/zpciTypes';
import { StepScriptError } from '../model/index';
import {
  DEFAULT_HOST,
  HOST_KERNEL_TABLE,
  ZPCI_DEFAULT_DEPTH,
  ZPCI_DEVICE_TABLE,
  ZPCI_VERSION_TABLE,
  parseZpciSteps,
} from '../model/zpci';
import { UsageError, intOption, option, type ParsedArgs } from './args';
import { InputError } from './io';

/** The command's arguments name the zPCI model: a --qemu, a --host, or a zPCI device kind. */
export function wantsZpci(args: ParsedArgs): boolean {
  const device = option(args, 'device');
  return (
    args.options.has('qemu') || args.options.has('host') || (device !== undefined && isZpciDevice(device))
  );
}

/** Unknown ids become usage errors naming the valid ones; a zPCI run with a vfio option is refused. */
function checkZpciArgs(args: ParsedArgs, needDevice: boolean): void {
  if (args.options.has('kernel'))
    throw new UsageError(
      `--kernel names a vfio-pci kernel; the zPCI model takes --qemu ID (QEMU versions: ${ZPCI_VERSION_TABLE.list()})`,
    );
  const device = option(args, 'device');
  if (device === undefined) {
    if (needDevice)
      throw new UsageError(`--device is required; zPCI device kinds: ${ZPCI_DEVICE_TABLE.list()}`);
  } else if (!ZPCI_DEVICE_TABLE.has(device))
    throw new UsageError(
      `--qemu and --host are for the zPCI device kinds (${ZPCI_DEVICE_TABLE.list()}), not "${device}"; ` +
        'vfio-pci device kinds take --kernel',
    );
  try {
    for (const q of args.options.get('qemu') ?? []) ZPCI_VERSION_TABLE.check(q);
    for (const h of args.options.get('host') ?? []) HOST_KERNEL_TABLE.check(h);
  } catch (e) {
    if (e instanceof UnknownIdError) throw new UsageError(e.message);
    throw e;
  }
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
}

/** A readable table of a zPCI trace; with explain, every node evaluated and its operands. */
export function formatZpciTrace(trace: ZpciTraceStep[], explain: boolean): string {
  const header = ['#', 'step', 'outcome', 'delivery', 'check'];
  const rows = trace.map((e) => [
    String(e.step),
    e.action,
    e.display.cells.outcome,
    e.display.cells.delivery,
    e.display.cells.check,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [row(header, widths)];
  trace.forEach((e, i) => {
    lines.push(row(rows[i], widths));
    const decided = e.why.find((w) => w.decided);
    if (decided && !explain) lines.push(`     ${decided.decision}: ${decided.text}`);
    if (e.dependsOn) lines.push(`     depends on unknown: ${e.dependsOn.join(', ')}`);
    if (!explain) return;
    for (const w of e.why) {
      lines.push(`     ${w.decision}${w.decided ? ' (decided)' : ''}: ${w.text}  => ${w.result}`);
      for (const o of w.operands)
        lines.push(`       ${o.name} = ${o.value}${o.meaning ? `  (${o.meaning})` : ''}`);
    }
    for (const n of e.notes ?? []) lines.push(`     note: ${n}`);
  });
  return lines.join('\n');
}

export async function simulateZpciCommand(args: ParsedArgs, format: 'text' | 'json'): Promise<number> {
  checkZpciArgs(args, true);
  const device = option(args, 'device')!;
  const qemu = option(args, 'qemu');
  if (qemu === undefined)
    throw new UsageError(`--qemu is required for ${device}; QEMU versions: ${ZPCI_VERSION_TABLE.list()}`);
  const steps = option(args, 'steps');
  if (steps === undefined || steps === '') throw new UsageError('--steps is required');
  const host = option(args, 'host', DEFAULT_HOST)!;
  let result;
  try {
    parseZpciSteps(steps);
    await initCParser();
    result = simulateZpci(device, qemu, steps, { host });
  } catch (e) {
    if (e instanceof StepScriptError) throw new InputError(`--steps: ${e.message}`);
    throw e;
  }
  if (format === 'json') {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  const explain = args.flags.has('explain');
  const header = `device ${result.device}, QEMU ${result.qemu}, host ${result.host}`;
  if (!result.branches) {
    process.stdout.write(`${header}\n${formatZpciTrace(result.trace, explain)}\n`);
    return 0;
  }
  const parts = result.branches.map((b) => {
    const assumed = Object.entries(b.assumptions).map(([name, value]) => `${name} = ${value}`);
    return `assuming ${assumed.join(', ')} (unknown to the model):\n${formatZpciTrace(b.trace, explain)}`;
  });
  process.stdout.write(`${header}: ${result.branches.length} branches\n${parts.join('\n\n')}\n`);
  return 0;
}

/** The two sides of a comparison: two versions on one host, one version on two hosts, or both. */
function sides(args: ParsedArgs): { a: string; b: string; host: string; hostAfter: string } {
  const qemu = args.options.get('qemu') ?? [];
  const hosts = args.options.get('host') ?? [];
  if (qemu.length < 1 || qemu.length > 2 || hosts.length > 2 || (qemu.length < 2 && hosts.length < 2))
    throw new UsageError(
      `give two --qemu options (QEMU versions: ${ZPCI_VERSION_TABLE.list()}), or one --qemu and two --host ` +
        `(host kernels: ${HOST_KERNEL_TABLE.list()}); got ${qemu.length} --qemu and ${hosts.length} --host`,
    );
  const host = hosts[0] ?? DEFAULT_HOST;
  return { a: qemu[0], b: qemu[1] ?? qemu[0], host, hostAfter: hosts[1] ?? host };
}

const last = (t: ZpciTraceStep[]) => t[t.length - 1];

/** The comparison in words: every difference with both sides, and why a kind shows none. */
export function formatZpciCompare(r: ZpciCompareResult): string {
  const side = (s: { qemu: string; host: string }) => s.qemu;
  const hostText = r.a.host === r.b.host ? `host ${r.a.host}` : `host ${r.a.host} vs ${r.b.host}`;
  const names =
    r.a.qemu === r.b.qemu
      ? [`${r.a.qemu} on ${r.a.host}`, `${r.b.qemu} on ${r.b.host}`]
      : [side(r.a), side(r.b)];
  const lines = [
    `${r.a.qemu} vs ${r.b.qemu} (${hostText}): ${r.differences.length} shortest distinguishing sequence(s)` +
      ` (depth ${r.stats.depth}, ${r.stats.states} state pairs explored)`,
  ];
  for (const d of r.differences) {
    lines.push(`${d.device}: ${d.steps.join('; ')}${d.internalOnly ? '  [internal only]' : ''}`);
    lines.push(`  ${names[0]}: ${last(d.before).display.text}`);
    lines.push(`  ${names[1]}: ${last(d.after).display.text}`);
    if (d.dependsOn) lines.push(`  depends on unknown: ${d.dependsOn.join(', ')}`);
    if (d.assumptions) {
      const assumed = Object.entries(d.assumptions).map(([name, value]) => `${name} = ${value}`);
      lines.push(`  traces assume: ${assumed.join(', ')}`);
    }
  }
  for (const u of r.unreached) {
    lines.push(`${u.device}: no difference: ${u.reason}`);
    for (const s of u.sides) lines.push(`  ${s.qemu} on ${s.host}: ${s.plug.display.text}`);
    const shown = u.elsewhere.filter((e) => e.differences || e.internalOnly);
    if (shown.length) {
      lines.push(`  where ${r.a.qemu} and ${r.b.qemu} do differ (the same comparison, other kinds):`);
      for (const e of shown) {
        lines.push(`    ${e.device}: ${e.differences} visible, ${e.internalOnly} internal only (--internal)`);
        if (e.example) lines.push(`      e.g. ${e.example}`);
        if (e.internalExample) lines.push(`      internal: ${e.internalExample}`);
      }
    } else
      lines.push(`  no other kind of function shows a difference between ${r.a.qemu} and ${r.b.qemu} either`);
    lines.push(
      u.reaches.length
        ? `  ${u.device} reaches QEMU's instruction checks (plugged, intercepted) under: ${u.reaches.join(', ')}`
        : `  ${u.device} reaches QEMU's instruction checks under no modelled version`,
    );
    // Two of those versions compared show what changes for this kind itself.
    const [x, y] = u.reaches.slice(-2);
    if (y)
      lines.push(
        `  for ${u.device} itself, compare two of them: vfio-lens compare --qemu ${x} --qemu ${y} --device ${u.device}`,
      );
  }
  for (const c of r.clp)
    lines.push(`${c.device}: CLP ${c.field}: ${c.before} -> ${c.after} (${c.why}; no step observes it)`);
  for (const n of r.notes.filter((n) => !n.includes('never plugged'))) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export async function compareZpciCommand(args: ParsedArgs, format: 'text' | 'json'): Promise<number> {
  checkZpciArgs(args, false);
  const { a, b, host, hostAfter } = sides(args);
  const depth = intOption(args, 'depth', ZPCI_DEFAULT_DEPTH, 1, 8);
  await initCParser();
  const result = compareZpciVersions(a, b, {
    device: option(args, 'device'),
    depth,
    internal: args.flags.has('internal'),
    host,
    hostAfter,
  });
  process.stdout.write(
    (format === 'json' ? JSON.stringify(result, null, 2) : formatZpciCompare(result)) + '\n',
  );
  return 0;
}

export async function matrixZpciCommand(
  args: ParsedArgs,
  format: 'text' | 'json' | 'markdown',
): Promise<number> {
  checkZpciArgs(args, false);
  const hosts = args.options.get('host') ?? [];
  if (hosts.length > 1) throw new UsageError('matrix takes one --host');
  const qemu = args.options.get('qemu');
  await initCParser();
  const m = zpciMatrix(qemu, { host: hosts[0] ?? DEFAULT_HOST });
  const cell = (s: string, d: string, q: string) =>
    m.cells.find((c) => c.scenario === s && c.device === d && c.qemu === q)?.summary ?? '';
  let out: string;
  if (format === 'json') out = JSON.stringify(m, null, 2);
  else if (format === 'markdown') {
    const parts: string[] = [];
    for (const s of m.scenarios) {
      parts.push(`### ${s.id}`, '', `${s.description} Steps: \`${s.steps.join('; ')}\` (host ${m.host})`, '');
      parts.push(`| device | ${m.qemu.join(' | ')} |`, `|---|${m.qemu.map(() => '---').join('|')}|`);
      for (const d of m.devices)
        parts.push(`| ${d} | ${m.qemu.map((q) => cell(s.id, d, q).replace(/\|/g, '\\|')).join(' | ')} |`);
      parts.push('');
    }
    out = parts.join('\n');
  } else {
    const width = Math.max(...m.qemu.map((q) => q.length));
    const parts: string[] = [`zPCI matrix, host ${m.host}`];
    for (const s of m.scenarios) {
      parts.push(`== ${s.id}: ${s.steps.join('; ')}`, `   ${s.description}`);
      for (const d of m.devices) {
        parts.push(`  ${d}`);
        for (const q of m.qemu) parts.push(`    ${q.padEnd(width)}  ${cell(s.id, d, q)}`);
      }
    }
    out = parts.join('\n');
  }
  process.stdout.write(out + '\n');
  return 0;
}
