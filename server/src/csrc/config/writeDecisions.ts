/**
 * The decisions of the capability write functions and of vfio_bar_fixup, found by what the
 * branch does: the if that sets the power state (pm-trap) and the lock-and-zap before it
 * (pm-lock-zap, in vfio_lock_and_set_power_state), the ifs that clear a virtual FLR bit and the
 * inner ones that reset the function (exp-flr/-supported, af-flr/-supported), the one calling
 * pcie_set_readrq (exp-readrq-changed), the MSI flags fix-ups, the VPD transfer, and the ROM
 * sizing branches (rom-shadow, rom-platform). Helpers the model has built in
 * (vfio_update_pm_vconfig_bytes) are checked against the model's own form.
 */
import type { Node } from 'web-tree-sitter';
import type { ConfigDecision } from '../../model/vfio/config';
import { inFunctions, named, record, type ReadContext, type Recogniser } from './context';
import {
  callsTo,
  codeText,
  conditionText,
  fold,
  headerLines,
  inside,
  lineSpan,
  nodes,
  statementOf,
  statementsOf,
} from './side';
import { constantOf } from './values';

/** The helper whose if decides pm-lock-zap; its condition is read where it is defined. */
export const LOCK_HELPER = 'vfio_lock_and_set_power_state';
export const VIA_LOCK_HELPER = `via ${LOCK_HELPER}`;

function decide(ctx: ReadContext, decision: ConfigDecision, ifNode: Node, what: string): void {
  const cond = conditionText(ifNode);
  record(ctx, { kind: 'decision', decision }, cond, headerLines(ctx.side, ifNode), `${what} when ${cond}`);
}

/** Ifs in a function whose consequence (not the else) satisfies `has`; innermost first found. */
function ifsWhere(ctx: ReadContext, fn: string, has: (consequence: Node) => boolean): Node[] {
  return inFunctions(ctx, ['if_statement'], named(fn))
    .map((x) => x.node)
    .filter((n) => {
      const c = n.childForFieldName('consequence');
      return !!c && has(c);
    });
}

const clears = (c: Node, bit: string) =>
  nodes(c, ['assignment_expression']).some(
    (a) => /&=/.test(a.text) && new Set(codeText(a).match(/\w+/g)).has(bit),
  );

function readPmWrite(ctx: ReadContext): void {
  const setsPower = (c: Node) => callsTo(c, ['vfio_pci_set_power_state', LOCK_HELPER]).length > 0;
  const traps = ifsWhere(ctx, 'vfio_pm_config_write', setsPower);
  for (const t of traps) decide(ctx, 'pm-trap', t, 'the power state is set from the write');
  for (const { node } of inFunctions(ctx, ['call_expression'], named('vfio_pm_config_write'))) {
    const callee = node.childForFieldName('function')?.text;
    if (callee !== 'vfio_pci_set_power_state' && callee !== LOCK_HELPER) continue;
    const direct = callee === 'vfio_pci_set_power_state';
    record(
      ctx,
      { kind: 'decision', decision: 'pm-lock-zap' },
      direct ? null : VIA_LOCK_HELPER,
      statementOf(node),
      direct ? 'vfio_pci_set_power_state without memory_lock or zap' : `${LOCK_HELPER}(vdev, state)`,
    );
  }
}

/** vfio_lock_and_set_power_state: the if that zaps before taking memory_lock decides pm-lock-zap. */
function readLockHelper(ctx: ReadContext): void {
  const zapIfs = ifsWhere(
    ctx,
    LOCK_HELPER,
    (c) => callsTo(c, ['vfio_pci_zap_and_down_write_memory_lock']).length > 0,
  );
  for (const { node } of inFunctions(ctx, ['function_definition'], named(LOCK_HELPER))) {
    const zap = zapIfs.find((z) => inside(z, node));
    const lines = lineSpan(ctx.side, node);
    record(
      ctx,
      { kind: 'built-in', what: LOCK_HELPER },
      zap ? conditionText(zap) : null,
      lines,
      `${LOCK_HELPER}: zap when ${zap ? conditionText(zap) : '(never)'}`,
      {
        builtIn: {
          model: 'zap and take memory_lock when pm-lock-zap holds, then vfio_pci_set_power_state',
          agrees: !!zap,
          why: zap ? 'its condition is pm-lock-zap' : 'no zapping branch',
        },
      },
    );
  }
}

/** vfio_update_pm_vconfig_bytes: clears PME_Support at PMC and PME_En|PME_Status at PMCSR in vconfig. */
function readPmBytesHelper(ctx: ReadContext): void {
  for (const { node } of inFunctions(ctx, ['function_definition'], named('vfio_update_pm_vconfig_bytes'))) {
    const pointers = new Map<string, number | undefined>();
    for (const d of nodes(node, ['init_declarator'])) {
      const name = d.childForFieldName('declarator')?.text.replace(/^\*+/, '') ?? '';
      const reg = /\boffset\s*\+\s*(\w+)/.exec(codeText(d.childForFieldName('value') ?? d))?.[1];
      pointers.set(name, reg ? constantOf(reg) : undefined);
    }
    const cleared: string[] = [];
    for (const a of nodes(node, ['assignment_expression'])) {
      const left = (a.childForFieldName('left')?.text ?? '').replace(/[\s*]/g, '');
      const right = codeText(a.childForFieldName('right')!).replace(/^~/, '');
      const mask = constantOf(right);
      if (/&=/.test(a.text))
        cleared.push(`+${pointers.get(left) ?? '?'} &= ~0x${(mask ?? NaN).toString(16)}`);
    }
    const value = cleared.sort().join('; ');
    const model = '+2 &= ~0xf800; +4 &= ~0x8100';
    record(
      ctx,
      { kind: 'built-in', what: 'vfio_update_pm_vconfig_bytes' },
      value,
      lineSpan(ctx.side, node),
      `vfio_update_pm_vconfig_bytes: ${value}`,
      {
        builtIn: {
          model: `${model} (PMC PME_Support; PMCSR PME_En, PME_Status)`,
          agrees: value === model,
          why: value === model ? 'the same bits' : `the model clears ${model}`,
        },
      },
    );
  }
}

/** An outer if clearing a virtual FLR bit, an inner if resetting the function. */
function readFlr(
  ctx: ReadContext,
  fn: string,
  bit: string,
  flr: ConfigDecision,
  supported: ConfigDecision,
): void {
  const resets = ifsWhere(
    ctx,
    fn,
    (c) => callsTo(c, ['pci_try_reset_function', 'pci_reset_function']).length > 0,
  );
  const inner = resets.filter((r) => !resets.some((o) => inside(o, r)));
  for (const r of inner) decide(ctx, supported, r, 'the function is reset');
  for (const o of ifsWhere(ctx, fn, (c) => clears(c, bit)))
    decide(ctx, flr, o, `${bit} is cleared in vconfig`);
}

function readExpWrite(ctx: ReadContext): void {
  readFlr(ctx, 'vfio_exp_config_write', 'PCI_EXP_DEVCTL_BCR_FLR', 'exp-flr', 'exp-flr-supported');
  for (const r of ifsWhere(ctx, 'vfio_exp_config_write', (c) => callsTo(c, ['pcie_set_readrq']).length > 0))
    decide(ctx, 'exp-readrq-changed', r, 'pcie_set_readrq is called');
}

function readAfWrite(ctx: ReadContext): void {
  readFlr(ctx, 'vfio_af_config_write', 'PCI_AF_CTRL_FLR', 'af-flr', 'af-flr-supported');
}

function readMsi(ctx: ReadContext): void {
  for (const fn of ['vfio_msi_config_write', 'vfio_msi_config_read']) {
    const covered = ifsWhere(ctx, fn, (c) => callsTo(c, ['vfio_find_cap_start']).length > 0);
    for (const c of covered)
      if (/\boffset\b/.test(conditionText(c)))
        decide(ctx, 'msi-flags-covered', c, 'the MSI flags are fixed up');
  }
  for (const o of ifsWhere(ctx, 'vfio_msi_config_write', (c) => clears(c, 'PCI_MSI_FLAGS_ENABLE')))
    decide(ctx, 'msi-enable-forced-off', o, 'MSI Enable is cleared');
  for (const o of ifsWhere(ctx, 'vfio_msi_config_write', (c) => clears(c, 'PCI_MSI_FLAGS_QSIZE')))
    decide(ctx, 'msi-qsize-clamp', o, 'QSIZE is clamped to msi_qmax');
}

function readVpd(ctx: ReadContext): void {
  for (const r of ifsWhere(ctx, 'vfio_vpd_config_write', (c) =>
    statementsOf(c).some((s) => /^return\s+count\s*;$/.test(fold(s.text))),
  ))
    if (/PCI_VPD_ADDR/.test(conditionText(r)))
      decide(ctx, 'vpd-no-work', r, 'the write returns without a VPD transfer');
  for (const r of ifsWhere(ctx, 'vfio_vpd_config_write', (c) => callsTo(c, ['pci_write_vpd']).length > 0))
    decide(ctx, 'vpd-write', r, 'pci_write_vpd is called');
}

/** The ROM branch chain of vfio_bar_fixup: shadow ROM (128 KiB), platform ROM (romlen). */
function readBarFixup(ctx: ReadContext): void {
  const ifs = inFunctions(ctx, ['if_statement'], named('vfio_bar_fixup')).map((x) => x.node);
  const head = ifs.find((i) =>
    /pci_resource_start\s*\(\s*pdev\s*,\s*PCI_ROM_RESOURCE\s*\)/.test(conditionText(i)),
  );
  if (!head) return;
  const chain: Node[] = [];
  let tail: Node | null = head;
  for (let n: Node | null = head; n;) {
    chain.push(n);
    const alt: Node | null = n.childForFieldName('alternative');
    const next: Node | null = alt
      ? (alt.namedChildren.find((c) => c?.type === 'if_statement') ?? null)
      : null;
    tail = alt && !next ? alt : null;
    n = next;
  }
  const seen = { 'rom-shadow': false, 'rom-platform': false };
  for (const n of chain.slice(1)) {
    const body = n.childForFieldName('consequence');
    const text = `${conditionText(n)} ${body ? codeText(body) : ''}`;
    const which = /IORESOURCE_ROM_SHADOW|0x20000/.test(text)
      ? 'rom-shadow'
      : /romlen|pdev->rom\b/.test(text)
        ? 'rom-platform'
        : undefined;
    if (!which) continue;
    seen[which] = true;
    decide(
      ctx,
      which,
      n,
      which === 'rom-shadow' ? 'the ROM is sized as 128 KiB' : 'the ROM is sized from pdev->romlen',
    );
  }
  // the chain down to its final else is in the image: the branches it lacks are absent
  if (tail && lineSpan(ctx.side, tail).length) {
    for (const [which, present] of Object.entries(seen) as [ConfigDecision, boolean][])
      if (!present)
        record(
          ctx,
          { kind: 'decision', decision: which },
          null,
          lineSpan(ctx.side, tail),
          `no ${which} branch before the final else`,
          { covers: [] },
        );
  }
}

export const WRITE_RECOGNISERS: Recogniser[] = [
  { id: 'pm-write', file: /vfio_pci_config\.c$/, read: readPmWrite },
  { id: 'pm-lock-helper', file: /vfio_pci_config\.c$/, read: readLockHelper },
  { id: 'pm-bytes-helper', file: /vfio_pci_config\.c$/, read: readPmBytesHelper },
  { id: 'exp-write', file: /vfio_pci_config\.c$/, read: readExpWrite },
  { id: 'af-write', file: /vfio_pci_config\.c$/, read: readAfWrite },
  { id: 'msi-rw', file: /vfio_pci_config\.c$/, read: readMsi },
  { id: 'vpd-write', file: /vfio_pci_config\.c$/, read: readVpd },
  { id: 'bar-fixup', file: /vfio_pci_config\.c$/, read: readBarFixup },
];
