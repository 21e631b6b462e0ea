/**
 * The decisions of vfio_config_init, vfio_cap_init, vfio_ecap_init and vfio_config_do_rw, each
 * found by what its statement does: the if around `len = pci_cap_length[cap]` (cap-length-known),
 * the if around vfio_update_pm_vconfig_bytes (pm-vconfig-clear), the if whose block sets the
 * virtual vendor ID (vf-ids), an assignment of 0 to vconfig[PCI_INTERRUPT_PIN] (vf-pin-zero in
 * the VF block, pin-zero elsewhere), the if choosing direct_ro_perms (ecap-unknown-perms). Where
 * the image shows a whole block without the statement, the decision is recorded as absent.
 */
import type { Node } from 'web-tree-sitter';
import { inFunctions, named, record, type ReadContext, type Recogniser } from './context';
import {
  assignmentsTo,
  callsTo,
  conditionText,
  conjunction,
  guardsOf,
  headerLines,
  inside,
  lineSpan,
  statementOf,
  wholeInImage,
} from './side';

/**
 * An if whose consequence holds the statements `actions` finds, recorded as `decision` with its
 * condition; the fact explains the if's header and those statements (the branch's own action).
 */
function decisionIfs(
  ctx: ReadContext,
  fn: string,
  decision: Parameters<typeof slot>[0],
  actions: (consequence: Node) => Node[],
  what: (cond: string) => string,
): Node[] {
  const found: Node[] = [];
  for (const { node } of inFunctions(ctx, ['if_statement'], named(fn))) {
    const consequence = node.childForFieldName('consequence');
    if (!consequence || !actions(consequence).length) continue;
    // the innermost such if decides (an outer one merely contains it)
    if (found.some((f) => inside(f, node))) continue;
    for (let i = found.length - 1; i >= 0; i--) if (inside(node, found[i])) found.splice(i, 1);
    found.push(node);
  }
  for (const node of found) {
    const cond = conditionText(node);
    const own = actions(node.childForFieldName('consequence')!).flatMap((a) =>
      lineSpan(ctx.side, statementOf(a)),
    );
    const covers = [...new Set([...headerLines(ctx.side, node), ...own])].sort((a, b) => a - b);
    record(ctx, slot(decision), cond, headerLines(ctx.side, node), what(cond), { covers });
  }
  return found;
}

const slot = (
  decision:
    | 'cap-length-known'
    | 'ecap-length-known'
    | 'pm-vconfig-clear'
    | 'vf-ids'
    | 'vf-pin-zero'
    | 'pin-zero'
    | 'ecap-unknown-perms',
) => ({
  kind: 'decision' as const,
  decision,
});

const lengthFrom = (table: RegExp) => (c: Node) =>
  assignmentsTo(c, /^len$/).filter((a) => table.test(a.text));

/** The walk's decisions: function, decision, the branch's own statements, how it reads. */
const WALK_DECISIONS: [string, Parameters<typeof slot>[0], (c: Node) => Node[], string][] = [
  ['vfio_cap_init', 'cap-length-known', lengthFrom(/pci_cap_length\[/), 'len = pci_cap_length[cap]'],
  [
    'vfio_cap_init',
    'pm-vconfig-clear',
    (c) => callsTo(c, ['vfio_update_pm_vconfig_bytes']),
    'vfio_update_pm_vconfig_bytes',
  ],
  [
    'vfio_ecap_init',
    'ecap-length-known',
    lengthFrom(/pci_ext_cap_length\[/),
    'len = pci_ext_cap_length[ecap]',
  ],
];

function readCapInit(ctx: ReadContext): void {
  for (const [fn, decision, actions, what] of WALK_DECISIONS)
    decisionIfs(ctx, fn, decision, actions, (c) => `if (${c}) ${what}`);
}

const VENDOR_ID = /vconfig\[PCI_VENDOR_ID\]$/;
const DEVICE_ID = /vconfig\[PCI_DEVICE_ID\]$/;
const PIN = /^(?:vdev->)?vconfig\[PCI_INTERRUPT_PIN\]$/;

function readConfigInit(ctx: ReadContext): void {
  const ids = (c: Node) => [...assignmentsTo(c, VENDOR_ID), ...assignmentsTo(c, DEVICE_ID)];
  const vfBlocks = decisionIfs(
    ctx,
    'vfio_config_init',
    'vf-ids',
    ids,
    (c) => `if (${c}) { vconfig[PCI_VENDOR_ID] = pdev->vendor; ... }`,
  );
  const pins = inFunctions(ctx, ['assignment_expression'], named('vfio_config_init')).filter(
    ({ node }) =>
      PIN.test((node.childForFieldName('left')?.text ?? '').replace(/\s+/g, '')) &&
      node.childForFieldName('right')?.text.trim() === '0',
  );
  for (const { node } of pins) {
    const { guards, unseen } = guardsOf(ctx.side, node);
    const stmt = statementOf(node);
    const inVf = guards.findIndex((g) => vfBlocks.some((b) => b.id === g.node.id));
    const decision = inVf >= 0 ? 'vf-pin-zero' : 'pin-zero';
    const lines = [
      ...new Set([
        ...lineSpan(ctx.side, stmt),
        ...guards.slice(inVf + 1).flatMap((g) => headerLines(ctx.side, g.node)),
      ]),
    ].sort((a, b) => a - b);
    if (unseen && inVf < 0) {
      record(
        ctx,
        slot(decision),
        null,
        lines,
        'vconfig[PCI_INTERRUPT_PIN] = 0 under a condition outside the lines read',
        {
          problem: 'the condition guarding it is outside the lines read',
        },
      );
      continue;
    }
    const value = conjunction(guards.map((g) => g.text)) ?? '1';
    record(ctx, slot(decision), value, lines, `vconfig[PCI_INTERRUPT_PIN] = 0 when ${value}`);
  }
  // the whole VF block in the image and no pin assignment in it: this kernel does not zero a VF's pin
  for (const block of vfBlocks) {
    const body = block.childForFieldName('consequence');
    if (!body || !wholeInImage(ctx.side, body)) continue;
    if (pins.some(({ node }) => inside(node, block))) continue;
    record(
      ctx,
      slot('vf-pin-zero'),
      null,
      lineSpan(ctx.side, body),
      'the VF block of vfio_config_init leaves vconfig[PCI_INTERRUPT_PIN] as read',
      {
        covers: [],
      },
    );
  }
}

function readDoRw(ctx: ReadContext): void {
  const rw = named('vfio_config_do_rw');
  const ro = inFunctions(ctx, ['assignment_expression'], rw).filter(({ node }) =>
    /^&?direct_ro_perms$/.test((node.childForFieldName('right')?.text ?? '').trim()),
  );
  for (const { node } of ro) {
    const { guards } = guardsOf(ctx.side, node);
    const own = guards.filter((g) => /\bcap_id\b/.test(g.text));
    const decider = own[own.length - 1];
    if (!decider) continue;
    record(
      ctx,
      slot('ecap-unknown-perms'),
      own.map((g) => g.text).join(' && '),
      lineSpan(ctx.side, decider.node),
      `perm = &direct_ro_perms when ${decider.text}`,
    );
  }
  if (ro.length) return;
  // `perm = &ecap_perms[cap_id]` taken whatever the ID: no direct_ro_perms choice in this kernel
  for (const { node } of inFunctions(ctx, ['assignment_expression'], rw)) {
    if (!/^&ecap_perms\[/.test((node.childForFieldName('right')?.text ?? '').replace(/\s+/g, ''))) continue;
    const { guards, unseen } = guardsOf(ctx.side, node);
    if (unseen || guards.some((g) => /\bcap_id\b/.test(g.text))) continue;
    record(
      ctx,
      slot('ecap-unknown-perms'),
      null,
      lineSpan(ctx.side, statementOf(node)),
      'perm = &ecap_perms[cap_id] for every extended capability ID',
    );
  }
}

export const LAYOUT_RECOGNISERS: Recogniser[] = [
  { id: 'cap-init', file: /vfio_pci_config\.c$/, read: readCapInit },
  { id: 'config-init', file: /vfio_pci_config\.c$/, read: readConfigInit },
  { id: 'config-do-rw', file: /vfio_pci_config\.c$/, read: readDoRw },
];
