/**
 * Decisions outside the capability code: the Command-register decisions the config variant takes
 * from its Command-register kernel (memory-enabled, read-or-in, restore-condition, restore-skip,
 * init-force-memory; a change becomes an override), and PCI core's VF rules in
 * drivers/pci/ats.c (a VF's pci_enable_pasid/pci_enable_pri answered from the PF).
 */
import type { Node } from 'web-tree-sitter';
import type { DecisionPoint } from '../../model/index';
import type { ConfigDecision } from '../../model/vfio/config';
import { inFunctions, named, record, type ReadContext, type Recogniser } from './context';
import { callsTo, codeText, conditionText, fold, headerLines, lineSpan, nodes, statementsOf } from './side';

function command(
  ctx: ReadContext,
  decision: DecisionPoint,
  place: Node | number[],
  value: string,
  what: string,
): void {
  record(ctx, { kind: 'command', decision }, value, place, what);
}

function ifs(ctx: ReadContext, fn: (f: string) => boolean): Node[] {
  return inFunctions(ctx, ['if_statement'], fn).map((x) => x.node);
}

function readCommand(ctx: ReadContext): void {
  for (const { node } of inFunctions(ctx, ['return_statement'], (f) =>
    /^_*vfio_pci_memory_enabled$/.test(f),
  )) {
    const expr = node.namedChildren.find((c) => c && c.type !== 'comment');
    if (expr)
      command(
        ctx,
        'memory-enabled',
        node,
        codeText(expr).replace(/^\((.*)\)$/s, '$1'),
        'the memory-enabled predicate',
      );
  }
  for (const i of ifs(ctx, named('vfio_basic_config_read'))) {
    const c = conditionText(i);
    if (/\boffset\b/.test(c) && /\bPCI_COMMAND\b/.test(c))
      command(ctx, 'read-or-in', headerLines(ctx.side, i), c, 'virtual MEMORY OR-ed into the read');
  }
  for (const i of ifs(ctx, named('vfio_basic_config_write'))) {
    const body = i.childForFieldName('consequence');
    if (body && callsTo(body, ['vfio_bar_restore']).length)
      command(
        ctx,
        'restore-condition',
        headerLines(ctx.side, i),
        conditionText(i),
        'vfio_bar_restore is called',
      );
  }
  for (const i of ifs(ctx, named('vfio_bar_restore'))) {
    const body = statementsOf(i.childForFieldName('consequence'));
    if (body.length === 1 && /^return\s*;$/.test(fold(body[0].text)))
      command(ctx, 'restore-skip', lineSpan(ctx.side, i), conditionText(i), 'vfio_bar_restore returns early');
  }
  for (const i of ifs(ctx, named('vfio_config_init'))) {
    const body = i.childForFieldName('consequence');
    const ors = body
      ? nodes(body, ['assignment_expression']).filter(
          (a) =>
            /\|=/.test(a.text) && /vconfig\[PCI_COMMAND\]/.test(a.text) && /PCI_COMMAND_MEMORY/.test(a.text),
        )
      : [];
    if (ors.length)
      command(
        ctx,
        'init-force-memory',
        headerLines(ctx.side, i),
        conditionText(i),
        'virtual MEMORY set at open',
      );
  }
}

/** pci_enable_pasid/pci_enable_pri: `if (VF) { if (PF enabled) return 0; return -EINVAL; }`. */
function readPciCoreVf(ctx: ReadContext): void {
  const rules: [string, ConfigDecision, ConfigDecision][] = [
    ['pci_enable_pasid', 'pasid-vf-shared', 'pasid-vf-result'],
    ['pci_enable_pri', 'pri-vf-shared', 'pri-vf-result'],
  ];
  for (const [fn, shared, result] of rules) {
    for (const outer of ifs(ctx, named(fn))) {
      const body = statementsOf(outer.childForFieldName('consequence'));
      const returns = body.filter((s) => s.type === 'return_statement');
      const inner = body.find(
        (s) =>
          s.type === 'if_statement' &&
          /^return\s+0\s*;$/.test(
            fold(
              statementsOf(s.childForFieldName('consequence'))
                .map((x) => x.text)
                .join(' '),
            ),
          ),
      );
      const ternary =
        returns.length === 1 ? /^return\s+(.+?)\s*\?\s*0\s*:\s*-\w+\s*;$/.exec(codeText(returns[0])) : null;
      let value: string | undefined;
      if (inner && returns.some((r) => /-E\w+/.test(r.text))) value = conditionText(inner);
      else if (ternary) value = ternary[1].replace(/^\((.*)\)$/, '$1');
      if (!value) continue;
      const lines = lineSpan(ctx.side, outer);
      record(
        ctx,
        { kind: 'decision', decision: shared },
        conditionText(outer),
        lines,
        `${fn}: a function with ${conditionText(outer)} answers from its PF`,
      );
      record(
        ctx,
        { kind: 'decision', decision: result },
        value,
        lines,
        `${fn}: 0 when ${value}, else -EINVAL`,
      );
    }
  }
}

export const OTHER_RECOGNISERS: Recogniser[] = [
  { id: 'command-register', file: /vfio_pci_config\.c$/, read: readCommand },
  { id: 'pci-core-vf', file: /drivers\/pci\/ats\.c$/, read: readPciCoreVf },
];
