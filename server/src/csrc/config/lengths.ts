/**
 * Variable capability lengths (vfio_cap_len, vfio_ext_cap_len, vfio_msi_cap_len): each `case ID:`
 * is compared with the length the model computes for every variant (layout.ts capLength and
 * ecapLength: the register read and the value returned). The PCIe case carries two decisions,
 * extended-caps (the assignment to vdev->extended_caps and the ifs above it) and
 * exp-length-rc-end (the if returning the RC_END length). IDs the model has no length for are
 * recorded as such, so a change there is "not modelled".
 */
import type { Node } from 'web-tree-sitter';
import { inFunctions, named, record, type ReadContext, type Recogniser } from './context';
import { capName } from './permTables';
import {
  argsOf,
  assignmentsTo,
  callsTo,
  codeText,
  conditionText,
  conjunction,
  guardsOf,
  headerLines,
  lineSpan,
  nodes,
  statementsOf,
} from './side';
import { canonicalWith, constantOf, sameValue } from './values';

/** The lengths layout.ts computes: the register read (width, offset) and the value of what it read (`v`). */
const MODEL_LENGTHS: Record<string, { width: number; at: number; value: string } | { call: string }> = {
  'std VNDR': { width: 1, at: 2, value: 'v' },
  'ext VNDR': { width: 4, at: 4, value: 'v >> 20' },
  'ext DVSEC': { width: 4, at: 4, value: '(v >> 20) & 0xfff' },
  'std MSI': { call: 'vfio_msi_cap_len' },
};
const READS: Record<string, number> = {
  pci_read_config_byte: 1,
  pci_read_config_word: 2,
  pci_read_config_dword: 4,
};
/** layout.ts: the PCIe length is 0xc/20 (v1) or 0x2c/44 (v2), RC_END first. */
const EXP_LENGTHS = new Set([0xc, 20, 0x2c, 44]);

/** A case's statements with the fall-through cases before it: the IDs and what they run. */
function caseGroups(block: Node): { ids: Node[]; body: Node[]; node: Node[] }[] {
  const groups: { ids: Node[]; body: Node[]; node: Node[] }[] = [];
  let pending: { ids: Node[]; node: Node[] } = { ids: [], node: [] };
  for (const c of block.namedChildren) {
    if (c?.type !== 'case_statement') continue;
    const value = c.childForFieldName('value');
    const body = c.namedChildren.filter((n): n is Node => !!n && n.id !== value?.id && n.type !== 'comment');
    if (value) pending.ids.push(value);
    pending.node.push(c);
    if (body.length || !value) {
      if (pending.ids.length) groups.push({ ...pending, body });
      pending = { ids: [], node: [] };
    }
  }
  return groups;
}

/** What a simple case computes: one config read and the value returned, or why it is not that simple. */
function simpleForm(body: Node[]): { width: number; at: number; value: string } | { call: string } | string {
  const stmts = body.flatMap((s) => (s.type === 'compound_statement' ? statementsOf(s) : [s]));
  const returns = stmts.filter((s) => s.type === 'return_statement');
  const last = returns[returns.length - 1];
  const expr = last?.namedChildren.find((c) => c && c.type !== 'comment');
  if (!expr) return 'no return value';
  if (expr.type === 'call_expression' && stmts.length === 1)
    return { call: codeText(expr.childForFieldName('function')!) };
  const read = callsTo(body[0].parent!, Object.keys(READS)).filter((c) =>
    body.some((b) => b.startIndex <= c.startIndex && c.endIndex <= b.endIndex),
  );
  if (read.length !== 1) return `${read.length} config reads`;
  const [, pos, out] = argsOf(read[0]);
  const at = pos ? constantOf(codeText(pos).replace(/\be?pos\b/, '0')) : undefined;
  const local = out?.text.replace(/^&\s*/, '');
  if (at === undefined || !local || !/^\w+$/.test(local))
    return 'the register read is not a fixed offset into a local';
  const others = stmts.filter(
    (s) =>
      s.id !== last.id &&
      !s.text.includes(read[0].text) &&
      !(s.type === 'if_statement' && /\bpcibios_err_to_errno\b|return\s+ret\b/.test(s.text)),
  );
  if (others.length) return `more than a read and a return (${codeText(others[0])})`;
  return {
    width: READS[read[0].childForFieldName('function')!.text],
    at,
    value: canonicalWith(codeText(expr), local, 'v'),
  };
}

function describeForm(f: { width: number; at: number; value: string } | { call: string }): string {
  return 'call' in f ? `${f.call}()` : `${f.width}-byte read at +0x${f.at.toString(16)}, length ${f.value}`;
}

function agreement(name: string, form: ReturnType<typeof simpleForm>) {
  const model = MODEL_LENGTHS[name];
  if (!model)
    return { model: `no length: the model treats ${name} as hidden`, agrees: false, why: 'not in the model' };
  const text = describeForm(model);
  if (typeof form === 'string') return { model: text, agrees: false, why: form };
  if ('call' in model || 'call' in form) {
    const agrees = 'call' in model && 'call' in form && model.call === form.call;
    return {
      model: text,
      agrees,
      why: agrees ? 'the same function' : `this case runs ${describeForm(form)}`,
    };
  }
  const same =
    form.width === model.width && form.at === model.at ? sameValue(form.value, model.value) : undefined;
  if (!same) return { model: text, agrees: false, why: `this case runs ${describeForm(form)}` };
  return { model: text, agrees: same.same, why: same.detail };
}

function readExpCase(ctx: ReadContext, group: { body: Node[]; node: Node[] }): void {
  for (const b of group.body) {
    for (const a of assignmentsTo(b, /^vdev->extended_caps$/)) {
      const { guards } = guardsOf(ctx.side, a);
      const inCase = guards.filter((g) =>
        group.node.some((n) => n.startIndex <= g.node.startIndex && g.node.endIndex <= n.endIndex),
      );
      const value = conjunction([
        ...inCase.map((g) => g.text),
        codeText(a.childForFieldName('right')!).replace(/^\((.*)\)$/, '$1'),
      ]);
      record(
        ctx,
        { kind: 'decision', decision: 'extended-caps' },
        value,
        [...inCase.flatMap((g) => headerLines(ctx.side, g.node)), ...lineSpan(ctx.side, a.parent!)],
        `vdev->extended_caps when ${value}`,
      );
    }
    for (const ifs of nodes(b, ['if_statement'])) {
      if (!/PCI_EXP_TYPE_RC_END/.test(conditionText(ifs))) continue;
      record(
        ctx,
        { kind: 'decision', decision: 'exp-length-rc-end' },
        conditionText(ifs),
        lineSpan(ctx.side, ifs),
        `the RC_END length when ${conditionText(ifs)}`,
      );
    }
  }
  const returns = group.body.flatMap((b) => nodes(b, ['return_statement']));
  const values = returns.map((r) =>
    constantOf(
      codeText(r)
        .replace(/^return\s+/, '')
        .replace(/;$/, ''),
    ),
  );
  const agrees = values.every((v) => v !== undefined && EXP_LENGTHS.has(v));
  const covered = group.node.flatMap((n) => lineSpan(ctx.side, n));
  record(
    ctx,
    { kind: 'built-in', what: 'length of std EXP' },
    values.join(', '),
    covered,
    'the PCIe capability length',
    {
      covers: covered,
      builtIn: {
        model: '0xc or 20 (v1), 0x2c or 44 (v2), RC_END first',
        agrees,
        why: agrees ? 'the same lengths' : `returns ${values.join(', ')}`,
      },
    },
  );
}

function readLengthCases(ctx: ReadContext): void {
  // the switch's block, or (the switch line above the hunk) the block the case labels stand in
  const blocks = new Map<number, { block: Node; fn: string }>();
  for (const { node, fn } of inFunctions(ctx, ['case_statement'], named('vfio_cap_len', 'vfio_ext_cap_len')))
    if (node.parent) blocks.set(node.parent.id, { block: node.parent, fn });
  for (const { block, fn } of blocks.values()) {
    const ext = fn === 'vfio_ext_cap_len';
    for (const group of caseGroups(block)) {
      const names = group.ids.map(
        (id) => `${ext ? 'ext' : 'std'} ${capName(codeText(id), ext).replace(/^ext /, '')}`,
      );
      if (names.includes('std EXP')) {
        readExpCase(ctx, group);
        continue;
      }
      const form = simpleForm(group.body);
      const lines = group.node.flatMap((n) => lineSpan(ctx.side, n));
      for (const name of names) {
        const builtIn = agreement(name, form);
        const value = typeof form === 'string' ? `(${form})` : describeForm(form);
        record(
          ctx,
          { kind: 'built-in', what: `length of ${name}` },
          value,
          lines,
          `${fn} case ${name}: ${value}`,
          { builtIn },
        );
      }
    }
  }
}

/** vfio_msi_cap_len: 10, +4 with PCI_MSI_FLAGS_64BIT, +10 with PCI_MSI_FLAGS_MASKBIT. */
function readMsiLength(ctx: ReadContext): void {
  const steps: string[] = [];
  let lines: number[] = [];
  for (const { node } of inFunctions(ctx, ['assignment_expression'], named('vfio_msi_cap_len'))) {
    if (node.childForFieldName('left')?.text !== 'len') continue;
    const { guards } = guardsOf(ctx.side, node);
    const op =
      node.childForFieldName('operator')?.text ??
      node.children.find((c) => c?.type.endsWith('='))?.text ??
      '=';
    const by = constantOf(codeText(node.childForFieldName('right')!));
    steps.push(`${guards.map((g) => g.text).join(' && ') || 'always'}: ${op} ${by ?? '?'}`);
    lines = [
      ...lines,
      ...lineSpan(ctx.side, node.parent!),
      ...guards.flatMap((g) => headerLines(ctx.side, g.node)),
    ];
  }
  if (!steps.length) return;
  const model = 'always: = 10; flags & PCI_MSI_FLAGS_64BIT: += 4; flags & PCI_MSI_FLAGS_MASKBIT: += 10';
  const value = steps.join('; ');
  record(
    ctx,
    { kind: 'built-in', what: 'length of std MSI' },
    value,
    [...new Set(lines)],
    `vfio_msi_cap_len: ${value}`,
    {
      builtIn: {
        model,
        agrees: value === model,
        why: value === model ? 'the same steps' : `the model runs ${model}`,
      },
    },
  );
}

export const LENGTH_RECOGNISERS: Recogniser[] = [
  { id: 'cap-lengths', file: /vfio_pci_config\.c$/, read: readLengthCases },
  { id: 'msi-length', file: /vfio_pci_config\.c$/, read: readMsiLength },
];
