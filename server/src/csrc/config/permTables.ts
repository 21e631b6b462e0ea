/**
 * The permission tables as the C writes them: p_setb/p_setw/p_setd calls in the init_pci_*_perm
 * functions (a row each, with the ifs around it as its condition), their alloc_perm_bits size and
 * readfn/writefn, the cap_perms/ecap_perms bindings and assignments of vfio_pci_init_perm_bits,
 * the pci_cap_length/pci_ext_cap_length initialisers, and the struct perm_bits objects the model
 * has built in (direct_ro_perms, unassigned_perms, virt_perms).
 */
import type { Node } from 'web-tree-sitter';
import { capabilityName } from '../../model/vfio/config';
import { capOfInit, inFunctions, named, record, type ReadContext, type Recogniser } from './context';
import {
  argsOf,
  calleeOf,
  codeText,
  conjunction,
  fold,
  functionOf,
  guardsOf,
  lineSpan,
  nodes,
  statementOf,
} from './side';
import { constantOf, unknownNames } from './values';

const SETTERS: Record<string, 1 | 2 | 4> = { p_setb: 1, p_setw: 2, p_setd: 4 };
const INIT_FN = /^init_pci_(?:ext_)?cap_\w+_perm$/;
const TABLE_FOR = /^(cap_perms|ecap_perms)\[(.+)\]$/;

/** "PCI_EXT_CAP_ID_DVSEC" in ecap_perms -> "ext DVSEC" (the model's capability names). */
export function capName(idText: string, ext: boolean): string {
  const id = constantOf(idText);
  if (id !== undefined) return id === 0 && !ext ? 'BASIC' : capabilityName(id, ext);
  const bare = idText.replace(/^PCI_(?:EXT_)?CAP_ID_/, '');
  return ext ? `ext ${bare}` : bare;
}

/** The last assignment `name = value;` before `at` in the same function, as code text. */
function localValue(ctx: ReadContext, name: string, at: Node): string | undefined {
  const fn = functionOf(ctx.side, at);
  let found: string | undefined;
  for (const a of nodes(ctx.side.root, ['assignment_expression'])) {
    if (a.startIndex >= at.startIndex || functionOf(ctx.side, a) !== fn) continue;
    if (a.childForFieldName('left')?.text !== name) continue;
    const right = a.childForFieldName('right');
    if (right) found = codeText(right);
  }
  return found;
}

/** What a name-less value lacks: the names the model has no value for. */
export function unknown(text: string): string | undefined {
  const names = unknownNames(text);
  return names.length
    ? `${names.map((n) => `"${n}"`).join(', ')} ${names.length > 1 ? 'are not names' : 'is not a name'} the model knows`
    : undefined;
}

function argument(ctx: ReadContext, arg: Node, at: Node): { text: string; problem?: string } {
  if (arg.type === 'identifier' && constantOf(arg.text) === undefined) {
    const local = localValue(ctx, arg.text, at);
    if (local) return { text: local, problem: unknown(local) };
    return { text: arg.text, problem: `\`${arg.text}\` is assigned outside the lines read` };
  }
  return { text: codeText(arg), problem: unknown(codeText(arg)) };
}

function readInitFunctions(ctx: ReadContext): void {
  for (const { node: call, fn } of inFunctions(ctx, ['call_expression'], (f) => INIT_FN.test(f))) {
    const callee = calleeOf(call) ?? '';
    const cap = capOfInit(ctx, fn);
    if (!cap) continue;
    const args = argsOf(call);
    const stmt = statementOf(call);
    if (callee in SETTERS && args.length === 4) {
      const width = SETTERS[callee];
      const offsetText = codeText(args[1]);
      const virt = argument(ctx, args[2], call);
      const write = argument(ctx, args[3], call);
      const { guards, unseen } = guardsOf(ctx.side, call);
      const when = unseen ? 'outside' : conjunction(guards.map((g) => g.text));
      const offset = constantOf(offsetText);
      const row = {
        width,
        offset: offsetText,
        virt: virt.text,
        write: write.text,
        ...(when && when !== 'outside' ? { when } : {}),
      };
      const text = `${callee}(perm, ${offsetText}, ${virt.text}, ${write.text})${row.when ? ` if ${row.when}` : ''}`;
      record(ctx, { kind: 'perm-row', cap, offset: offset ?? -1, width, when }, text, stmt, text, {
        row,
        offsetText,
        problem: virt.problem ?? write.problem ?? (offset === undefined ? unknown(offsetText) : undefined),
      });
    } else if (callee === 'alloc_perm_bits' && args.length === 2) {
      record(
        ctx,
        { kind: 'perm-entry', cap, field: 'alloc' },
        codeText(args[1]),
        stmt,
        `alloc_perm_bits(perm, ${codeText(args[1])})`,
      );
    }
  }
  for (const { node: asg, fn } of inFunctions(ctx, ['assignment_expression'], (f) => INIT_FN.test(f))) {
    const left = (asg.childForFieldName('left')?.text ?? '').replace(/\s+/g, '');
    const field = /^perm->(readfn|writefn)$/.exec(left)?.[1] as 'readfn' | 'writefn' | undefined;
    const cap = capOfInit(ctx, fn);
    const right = asg.childForFieldName('right');
    if (!field || !cap || !right) continue;
    record(
      ctx,
      { kind: 'perm-entry', cap, field },
      fold(right.text),
      statementOf(asg),
      `perm->${field} = ${fold(right.text)}`,
    );
  }
}

/** `ret |= init_pci_cap_pm_perm(&cap_perms[PCI_CAP_ID_PM]);` -> init_pci_cap_pm_perm fills PM. */
export function initBindings(ctx: ReadContext): [string, string, Node][] {
  const out: [string, string, Node][] = [];
  for (const { node: call } of inFunctions(ctx, ['call_expression'], named('vfio_pci_init_perm_bits'))) {
    const callee = calleeOf(call) ?? '';
    const arg = argsOf(call)[0];
    if (!INIT_FN.test(callee) || !arg) continue;
    const m = TABLE_FOR.exec(arg.text.replace(/^&/, '').replace(/\s+/g, ''));
    if (m) out.push([callee, capName(m[2], m[1] === 'ecap_perms'), call]);
  }
  return out;
}

function readPermBitsInit(ctx: ReadContext): void {
  for (const [fn, cap, call] of initBindings(ctx))
    record(ctx, { kind: 'perm-entry', cap, field: 'init' }, fn, statementOf(call), `${fn}(&...[${cap}])`);
  for (const { node: asg } of inFunctions(ctx, ['assignment_expression'], named('vfio_pci_init_perm_bits'))) {
    const left = (asg.childForFieldName('left')?.text ?? '').replace(/\s+/g, '');
    const m = /^(cap_perms|ecap_perms)\[(.+)\]\.(readfn|writefn)$/.exec(left);
    const right = asg.childForFieldName('right');
    if (!m || !right) continue;
    const cap = capName(m[2], m[1] === 'ecap_perms');
    record(
      ctx,
      { kind: 'perm-entry', cap, field: m[3] as 'readfn' | 'writefn' },
      fold(right.text),
      statementOf(asg),
      `${m[1]}[${m[2]}].${m[3]} = ${fold(right.text)}`,
    );
  }
}

const LENGTH_TABLES: Record<string, 'std' | 'ext'> = { pci_cap_length: 'std', pci_ext_cap_length: 'ext' };

function readLengthTables(ctx: ReadContext): void {
  for (const pair of nodes(ctx.side.root, ['initializer_pair'])) {
    const designator = pair.namedChildren.find((c) => c?.type === 'subscript_designator');
    const value = pair.childForFieldName('value');
    if (!designator || !value || value.type === 'initializer_list') continue;
    const idText = codeText(designator)
      .replace(/^\[(.*)\]$/, '$1')
      .trim();
    const table = functionOf(ctx.side, pair) ?? ctx.side.table;
    const space =
      (table && LENGTH_TABLES[table]) ??
      (/^PCI_EXT_CAP_ID_/.test(idText) ? 'ext' : /^PCI_CAP_ID_/.test(idText) ? 'std' : undefined);
    if (!space) continue;
    const id = constantOf(idText);
    const name = space === 'ext' ? 'pci_ext_cap_length' : 'pci_cap_length';
    const text = codeText(value);
    const lines = lineSpan(ctx.side, pair);
    // `[X] = ...` in an array of PCI_*_CAP_ID_MAX + 1 compiles only when X <= that bound
    const implies = id === undefined ? [] : [{ kind: 'id-max' as const, space, value: id, atLeast: true }];
    record(ctx, { kind: 'length', space, id: id ?? -1 }, text, lines, `${name}[${idText}] = ${text}`, {
      function: name,
      implies,
      problem: id === undefined ? `${idText} is not a capability ID the model knows` : unknown(text),
    });
  }
}

/** The perm_bits objects of vfio_pci_config.c the model runs as fixed rules. */
const BUILT_IN_PERMS: Record<string, { fields: string; model: string }> = {
  direct_ro_perms: {
    fields: 'readfn=vfio_direct_config_read',
    model: 'direct read, no write function (layout.ts DIRECT_RO: writes dropped)',
  },
  unassigned_perms: {
    fields: 'readfn=vfio_raw_config_read writefn=vfio_raw_config_write',
    model: "raw read and write of unassigned bytes (rules.unassigned 'raw', since 3.7)",
  },
  virt_perms: {
    fields: 'readfn=vfio_virt_config_read writefn=vfio_virt_config_write',
    model: 'vconfig only (virt-only regions)',
  },
};

function readPermBitsObjects(ctx: ReadContext): void {
  for (const decl of nodes(ctx.side.root, ['declaration'])) {
    if (!/\bstruct\s+perm_bits\b/.test(decl.childForFieldName('type')?.text ?? '')) continue;
    for (const init of decl.namedChildren.filter((c) => c?.type === 'init_declarator')) {
      const name = init!.childForFieldName('declarator')?.text ?? '';
      const built = BUILT_IN_PERMS[name];
      const list = init!.childForFieldName('value');
      if (!built || list?.type !== 'initializer_list') continue;
      const fields = nodes(list, ['initializer_pair'])
        .map(
          (p) =>
            `${codeText(p.namedChildren[0]!).replace(/^\./, '')}=${codeText(p.childForFieldName('value')!)}`,
        )
        .sort()
        .join(' ');
      const agrees = fields === built.fields;
      record(
        ctx,
        { kind: 'built-in', what: name },
        fields,
        decl,
        `struct perm_bits ${name} = { ${fields} }`,
        {
          function: name,
          builtIn: {
            model: built.model,
            agrees,
            why: agrees ? 'the same functions' : `the model runs ${built.fields}`,
          },
        },
      );
    }
  }
}

export const PERM_TABLE_RECOGNISERS: Recogniser[] = [
  { id: 'perm-rows', file: /vfio_pci_config\.c$/, read: readInitFunctions },
  { id: 'perm-table-init', file: /vfio_pci_config\.c$/, read: readPermBitsInit },
  { id: 'length-tables', file: /vfio_pci_config\.c$/, read: readLengthTables },
  { id: 'perm-bits-objects', file: /vfio_pci_config\.c$/, read: readPermBitsObjects },
];
