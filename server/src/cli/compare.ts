/**
 * vfio-lens compare --kernel A --kernel B [--device ID] [--depth N] [--internal] [--format text|json]
 * The shortest step sequences after which the two kernels' observations differ, with both traces.
 * --qemu A --qemu B (and zPCI device kinds) compare two QEMU versions instead (cli/zpci.ts).
 */
import { comparePolicies, policyOf } from '../analysis/modelRuns';
import { sameOnDevice } from '../analysis/sameOnDevice';
import { initCParser } from '../csrc/treeSitter';
import type { CompareResult } from '../analysis/types';
import { KERNEL_TABLE, stepSummary, type DeviceKindId, type KernelId } from '../model/index';
import { UsageError, choice, intOption, option, parseArgs } from './args';
import { checkIds, orderedEntry } from './simulate';
import { compareZpciCommand, wantsZpci } from './zpci';

export async function compareCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['kernel', 'qemu', 'host', 'device', 'depth', 'format'], ['internal']);
  if (args.positional.length) throw new UsageError(`unexpected argument "${args.positional[0]}"`);
  const format = choice(args, 'format', ['text', 'json'] as const, 'text');
  if (wantsZpci(args)) return compareZpciCommand(args, format);
  const kernels = args.options.get('kernel') ?? [];
  if (kernels.length !== 2) {
    throw new UsageError(
      `give exactly two --kernel options (got ${kernels.length}); kernels: ${KERNEL_TABLE.list()}`,
    );
  }
  const device = option(args, 'device');
  checkIds(device, kernels);
  // without --depth each exploration runs at its own (the Command-register story 6, the config space 3)
  const depth = option(args, 'depth') === undefined ? undefined : intOption(args, 'depth', 6, 1, 12);
  await initCParser();
  const result = comparePolicies(kernels[0] as KernelId, kernels[1] as KernelId, {
    device: device as DeviceKindId | undefined,
    depth,
    internal: args.flags.has('internal'),
  });
  const same =
    device && result.differences.length === 0
      ? sameOnDevice(policyOf(kernels[0]), policyOf(kernels[1]), device, [kernels[0], kernels[1]])
      : undefined;
  if (format === 'json') {
    const differences = result.differences.map((d) => ({
      ...d,
      before: d.before.map(orderedEntry),
      after: d.after.map(orderedEntry),
    }));
    const why = same ? { sameOnDevice: same } : {};
    process.stdout.write(JSON.stringify({ differences, stats: result.stats, ...why }, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `${kernels[0]} vs ${kernels[1]}: ${result.differences.length} shortest distinguishing sequence(s)` +
      ` (${depthText(result.stats)}, ${result.stats?.states ?? 0} state pairs explored)`,
  ];
  if (same) lines.push(`no difference on ${device}:`, ...same.map((l) => `  ${l}`));
  for (const d of result.differences) {
    const last = d.steps.length - 1;
    lines.push(`${d.device}: ${d.steps.join('; ')}${d.internalOnly ? '  [internal only]' : ''}`);
    lines.push(`  ${kernels[0]}: ${stepSummary(d.before[last])}`);
    lines.push(`  ${kernels[1]}: ${stepSummary(d.after[last])}`);
    if (d.dependsOn) lines.push(`  depends on unknown: ${d.dependsOn.join(', ')}`);
    if (d.assumptions) {
      const assumed = Object.entries(d.assumptions).map(([name, value]) => `${name} = ${value}`);
      lines.push(`  traces assume: ${assumed.join(', ')}`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** "depth 6" or, per exploration, "command depth 6, config depth 3". */
function depthText(stats: CompareResult['stats']): string {
  const parts = stats?.parts ?? [];
  if (parts.length < 2) return `depth ${stats?.depth ?? '?'}`;
  return parts.map((p) => `${p.part} depth ${p.depth}`).join(', ');
}
