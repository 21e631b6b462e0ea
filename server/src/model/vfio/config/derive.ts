/**
 * A config variant derived from another by the edits a patch's C makes (csrc/config reads them
 * from the post-images): a permission row replaced, added or removed at its offset, a field of a
 * capability's cap_perms/ecap_perms entry, a length-table entry, a decision, a Command-register
 * decision, the table bounds. Pure: row offsets and conditions are read with the parser handed
 * in, as compileConfigVariant does; an edit naming what the model does not know is a
 * ConfigCompileError naming the edit.
 */
import type { DecisionPoint, Expr } from '../../types';
import { DECISION_POINTS } from '../../types';
import { ConfigCompileError, constantValue, type Parse } from './compile';
import { CAP_IDS, ECAP_IDS } from './registers';
import type { CapPerms, ConfigDecision, ConfigVariantSpec, PermRow, ReadFn, WriteFn } from './types';
import { CONFIG_DECISIONS } from './types';

export type PermField = 'init' | 'alloc' | 'readfn' | 'writefn';

export type ConfigEdit =
  /** A p_set* row at `offset` (C text) of `width`; `when` 'outside': its condition is not in the text read. */
  | {
      kind: 'perm-row';
      cap: string;
      offset: string;
      width: 1 | 2 | 4;
      when: string | null | 'outside';
      row: PermRow | null;
    }
  /** A field of the entry; null: the statement setting it is gone (the table's default). */
  | { kind: 'perm-entry'; cap: string; field: PermField; value: string | null }
  /** pci_cap_length / pci_ext_cap_length[id]; null: no initialiser (0, hidden). */
  | { kind: 'length'; space: 'std' | 'ext'; id: number; text: string | null }
  | { kind: 'decision'; decision: ConfigDecision; text: string | null }
  | { kind: 'command'; decision: DecisionPoint; text: string | null }
  /** PCI_CAP_ID_MAX / PCI_EXT_CAP_ID_MAX: set, or raised to at least `value`. */
  | { kind: 'id-max'; space: 'std' | 'ext'; value: number; atLeast: boolean };

export interface DerivedVariantMeta {
  id: string;
  label: string;
  description: string;
  /** What the variant stands for in its commit list ("patch: vfio/pci: Mask cap zero"). */
  commit: string;
}

const READ_FNS: readonly ReadFn[] = [
  'vfio_default_config_read',
  'vfio_direct_config_read',
  'vfio_basic_config_read',
  'vfio_msi_config_read',
  'vfio_raw_config_read',
  'vfio_virt_config_read',
];
const WRITE_FNS: readonly WriteFn[] = [
  'vfio_default_config_write',
  'vfio_raw_config_write',
  'vfio_virt_config_write',
  'vfio_basic_config_write',
  'vfio_pm_config_write',
  'vfio_vpd_config_write',
  'vfio_exp_config_write',
  'vfio_af_config_write',
  'vfio_msi_config_write',
];

/** The order edits apply in: allocation before the functions it installs, rows after both. */
const ORDER: Record<ConfigEdit['kind'], number> = {
  'perm-entry': 0,
  'perm-row': 1,
  length: 2,
  decision: 3,
  command: 4,
  'id-max': 5,
};

/** The same expression, whatever its spelling (the `text` fields are not compared). */
export function sameExpr(a: Expr, b: Expr): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'num':
      return a.value === (b as typeof a).value;
    case 'ident':
      return a.name === (b as typeof a).name;
    case 'unknown':
      return a.text.replace(/\s+/g, '') === (b as typeof a).text.replace(/\s+/g, '');
    case 'call': {
      const c = b as typeof a;
      return (
        a.callee === c.callee &&
        a.args.length === c.args.length &&
        a.args.every((x, i) => sameExpr(x, c.args[i]))
      );
    }
    case 'unary':
      return a.op === (b as typeof a).op && sameExpr(a.arg, (b as typeof a).arg);
    case 'binary': {
      const c = b as typeof a;
      return a.op === c.op && sameExpr(a.left, c.left) && sameExpr(a.right, c.right);
    }
    case 'cond': {
      const c = b as typeof a;
      return sameExpr(a.test, c.test) && sameExpr(a.then, c.then) && sameExpr(a.else, c.else);
    }
  }
}

function knownCap(cap: string): boolean {
  if (cap === 'BASIC') return true;
  if (cap.startsWith('ext ')) return `PCI_EXT_CAP_ID_${cap.slice(4)}` in ECAP_IDS;
  return `PCI_CAP_ID_${cap}` in CAP_IDS;
}

/** The entry a cap_perms/ecap_perms slot has when no init function or assignment touches it. */
export const tableDefault = (cap: string): CapPerms => ({
  cap,
  init: null,
  alloc: null,
  readfn: 'vfio_direct_config_read',
  writefn: null,
  rows: [],
});

const isTableDefault = (p: CapPerms) =>
  p.init === null &&
  p.alloc === null &&
  p.readfn === 'vfio_direct_config_read' &&
  !p.writefn &&
  !p.rows.length;

function describe(e: ConfigEdit): string {
  switch (e.kind) {
    case 'perm-row':
      return `${e.cap} row at ${e.offset}`;
    case 'perm-entry':
      return `${e.cap} ${e.field}`;
    case 'length':
      return `${e.space === 'ext' ? 'pci_ext_cap_length' : 'pci_cap_length'}[0x${e.id.toString(16)}]`;
    case 'decision':
    case 'command':
      return e.decision;
    case 'id-max':
      return e.space === 'ext' ? 'PCI_EXT_CAP_ID_MAX' : 'PCI_CAP_ID_MAX';
  }
}

class Deriving {
  readonly perms: Map<string, CapPerms>;

  constructor(
    readonly spec: ConfigVariantSpec,
    private readonly parse: Parse,
  ) {
    this.perms = new Map(spec.perms.map((p) => [p.cap, { ...p, rows: [...p.rows] }]));
  }

  entry(cap: string, where: string): CapPerms {
    if (!knownCap(cap))
      throw new ConfigCompileError(`${where}: capability "${cap}" is not one the model knows`);
    let p = this.perms.get(cap);
    if (!p) {
      p = tableDefault(cap);
      this.perms.set(cap, p);
    }
    return p;
  }

  field(e: Extract<ConfigEdit, { kind: 'perm-entry' }>, where: string): void {
    const p = this.entry(e.cap, where);
    switch (e.field) {
      case 'init':
        p.init = e.value;
        return;
      case 'alloc':
        if (e.value !== null) constantValue(e.value, this.parse, where);
        if (e.value !== null && p.alloc === null) {
          // alloc_perm_bits installs the default read and write functions
          if (p.readfn === 'vfio_direct_config_read') p.readfn = 'vfio_default_config_read';
          p.writefn ??= 'vfio_default_config_write';
        }
        p.alloc = e.value;
        return;
      case 'readfn': {
        const fn = e.value ?? (p.alloc ? 'vfio_default_config_read' : 'vfio_direct_config_read');
        if (!READ_FNS.includes(fn as ReadFn))
          throw new ConfigCompileError(`${where}: read function "${fn}" is not one the model runs`);
        p.readfn = fn as ReadFn;
        return;
      }
      case 'writefn': {
        const fn = e.value ?? (p.alloc ? 'vfio_default_config_write' : null);
        if (fn !== null && !WRITE_FNS.includes(fn as WriteFn))
          throw new ConfigCompileError(`${where}: write function "${fn}" is not one the model runs`);
        p.writefn = fn as WriteFn | null;
        return;
      }
    }
  }

  row(e: Extract<ConfigEdit, { kind: 'perm-row' }>, where: string): void {
    const p = this.entry(e.cap, where);
    const at = constantValue(e.offset, this.parse, where);
    const whenMatches = (r: PermRow) => {
      if (e.when === 'outside') return true;
      if (!r.when || !e.when) return !r.when && !e.when;
      return sameExpr(this.parse(r.when), this.parse(e.when));
    };
    const i = p.rows.findIndex(
      (r) => r.width === e.width && constantValue(r.offset, this.parse, where) === at && whenMatches(r),
    );
    if (e.row === null) {
      if (i >= 0) p.rows.splice(i, 1);
      return;
    }
    constantValue(e.row.virt, this.parse, where);
    constantValue(e.row.write, this.parse, where);
    if (i >= 0) {
      const when = e.when === 'outside' ? p.rows[i].when : e.row.when;
      p.rows[i] = when
        ? { ...e.row, when }
        : { width: e.row.width, offset: e.row.offset, virt: e.row.virt, write: e.row.write };
    } else if (e.when === 'outside') {
      throw new ConfigCompileError(
        `${where}: the row's condition is outside the text read and no row is at that offset`,
      );
    } else p.rows.push(e.row);
  }
}

/** The variant `base` becomes with `edits` applied (in a fixed order: entries, rows, tables, decisions). */
export function deriveConfigVariant(
  base: ConfigVariantSpec,
  edits: readonly ConfigEdit[],
  meta: DerivedVariantMeta,
  parse: Parse,
): ConfigVariantSpec {
  const d = new Deriving(base, parse);
  const capLengths = { ...base.capLengths };
  const ecapLengths = { ...base.ecapLengths };
  const decisions = { ...base.decisions };
  let commandOverrides = base.commandOverrides;
  const rules = { ...base.rules };
  const sorted = [...edits].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  for (const e of sorted) {
    const where = `${meta.id}: ${describe(e)}`;
    switch (e.kind) {
      case 'perm-entry':
        d.field(e, where);
        break;
      case 'perm-row':
        d.row(e, where);
        break;
      case 'length': {
        const table = e.space === 'ext' ? ecapLengths : capLengths;
        if (e.text === null) delete table[e.id];
        else {
          constantValue(e.text, parse, where);
          table[e.id] = e.text;
        }
        break;
      }
      case 'decision':
        if (!CONFIG_DECISIONS.includes(e.decision))
          throw new ConfigCompileError(`${where}: not a decision of the config model`);
        decisions[e.decision] = e.text;
        break;
      case 'command':
        if (!DECISION_POINTS.includes(e.decision))
          throw new ConfigCompileError(`${where}: not a Command-register decision`);
        commandOverrides = { ...commandOverrides, [e.decision]: e.text };
        break;
      case 'id-max': {
        const key = e.space === 'ext' ? 'ecapIdMax' : 'capIdMax';
        rules[key] = e.atLeast ? Math.max(rules[key], e.value) : e.value;
        break;
      }
    }
  }
  const perms = [...d.perms.values()].filter((p) => !isTableDefault(p));
  return {
    ...base,
    id: meta.id,
    label: meta.label,
    status: 'proposal',
    description: meta.description,
    commits: [...base.commits, meta.commit],
    perms,
    capLengths,
    ecapLengths,
    decisions,
    rules,
    commandOverrides,
  };
}
