/**
 * The one text form of a config-space observation: "cfg-read PCI_INTERRUPT_PIN 1: 0x00", then
 * what reached the hardware, what was dropped, the side effects and the chain; with `explain`,
 * each chunk's table row and each decision with its operands' values.
 */
import type { Explanation } from '../../types';
import { hex } from './registers';
import type { CfgObservation, SideEffect } from './types';

function effectText(e: SideEffect): string {
  switch (e.kind) {
    case 'function-reset':
      return `function reset (${e.by === 'vfio' ? 'by vfio' : 'by the device, vfio not knowing'})`;
    case 'power':
      return `power D${e.from} -> D${e.to} (${e.by === 'vfio' ? 'by vfio' : 'by the device, vfio not knowing'})`;
    case 'readrq-set':
      return `pcie_set_readrq(${e.bytes})`;
    case 'vpd':
      return `pci_${e.op}_vpd at ${hex(e.address)}`;
    default:
      return e.kind.replace(/-/g, ' ');
  }
}

/** What a user sees of a config step, typed (the part a comparison and a finding carry). */
export type ConfigObserved = Pick<
  CfgObservation,
  'outcome' | 'value' | 'hardware' | 'dropped' | 'effects' | 'chain' | 'returned'
>;

/** The visible part of a config observation, typed. */
export function configObserved(o: CfgObservation): ConfigObserved {
  const c: ConfigObserved = {
    outcome: o.outcome,
    hardware: o.hardware,
    dropped: o.dropped,
    effects: o.effects,
  };
  if (o.value !== undefined) c.value = o.value;
  if (o.chain) c.chain = o.chain;
  if (o.returned !== undefined) c.returned = o.returned;
  return c;
}

/** The visible part of a config step in a few words ("read 0x0001; hardware PCI_EXP_DEVCTL <- 0x2930 ..."). */
export function configObservedText(o: ConfigObserved): string {
  return configParts(o).join('; ') || 'no visible effect';
}

function configParts(o: ConfigObserved): string[] {
  const parts: string[] = [];
  if (o.outcome === 'undefined') parts.push('undefined in the kernel');
  else if (o.outcome !== 'ok') parts.push(o.outcome);
  if (o.value !== undefined) parts.push(`read ${hex(o.value)}`);
  if (o.returned !== undefined) parts.push(`returns ${o.returned}`);
  for (const h of o.hardware)
    parts.push(`hardware ${h.register} <- ${hex(h.value)} (${h.width} at ${hex(h.offset)})`);
  for (const d of o.dropped) parts.push(`dropped ${d.width} at ${hex(d.offset)}`);
  for (const e of o.effects) parts.push(effectText(e));
  if (o.chain)
    parts.push(
      `chain ${o.chain.map((c) => `${c.space === 'ext' ? 'ext ' : ''}${hex(c.id)}@${hex(c.offset)}`).join(' -> ') || '(empty)'}`,
    );
  return parts;
}

/** A config observation in a few words per field (an inlay hint's): "0xc803", "PCI_PM_CTRL←0x8", "chain of 5". */
export function configHintParts(o: ConfigObserved): string[] {
  const parts: string[] = [];
  if (o.outcome !== 'ok') parts.push(o.outcome);
  if (o.value !== undefined) parts.push(hex(o.value));
  if (o.returned !== undefined) parts.push(`returns ${o.returned}`);
  for (const h of o.hardware) parts.push(`${h.register}←${hex(h.value)}`);
  for (const d of o.dropped) parts.push(`dropped ${d.width}@${hex(d.offset)}`);
  for (const e of o.effects) parts.push(e.kind);
  if (o.chain) parts.push(o.chain.length ? `chain of ${o.chain.length}` : 'empty chain');
  return parts.length ? parts : ['no effect'];
}

/** The text of a config observation; `why`: the step's decisions, shown with `explain`. */
export function formatConfigObservation(
  o: CfgObservation,
  options: { explain?: boolean; why?: readonly Explanation[] } = {},
): string {
  const lines = [`${o.step}: ${configObservedText(o)}`];
  if (options.explain) {
    for (const c of o.chunks) {
      lines.push(
        `  ${hex(c.offset)}+${c.width} ${c.region} ${c.readfn}/${c.writefn} virt ${hex(c.virt)} write ${hex(c.write)}: ${c.rows.join('; ')}`,
      );
    }
    for (const w of options.why ?? []) {
      const ops = w.operands.map((p) => `${p.name} (${p.value})`).join(', ');
      lines.push(`  ${w.decision}: \`${w.expression}\` = ${w.result}${ops ? ` with ${ops}` : ''}`);
    }
    for (const n of o.notes) lines.push(`  note: ${n}`);
  }
  return lines.join('\n');
}
