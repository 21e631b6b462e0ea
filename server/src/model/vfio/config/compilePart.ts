/**
 * The config-space part of a kernel variant ready to run: every C text of its rows, lengths and
 * decisions parsed by the parser handed in (csrc/ uses tree-sitter-c) and row arguments
 * evaluated to masks. compilePolicy (model/policy.ts) compiles it with the Command-register part;
 * a name the model does not know is a ConfigCompileError naming the row.
 */
import { ContentNames } from '../../cache';
import { evaluate, NeedsAssumption, type EvalScope } from '../../evaluate';
import type { Expr } from '../../types';
import { PCI_CONFIG_CONSTANTS } from './registers';
import type { CapPerms, ConfigDecision, ConfigSpaceSpec, PermRow } from './types';
import { CONFIG_DECISIONS } from './types';

export type Parse = (c: string) => Expr;

export class ConfigCompileError extends Error {}

export interface CompiledRow {
  row: PermRow;
  /** The call as written: "p_setw(perm, PCI_EXP_DEVCTL, ..., ...)". */
  text: string;
  at: number;
  virt: number;
  write: number;
  when: Expr | null;
}

export interface CompiledPerms {
  spec: CapPerms;
  /** round_up(alloc, 4); null: not allocated (no masks: default direct read); 'len': per device. */
  size: number | null | 'len';
  rows: CompiledRow[];
}

/** The config-space part compiled (Policy.config). */
export interface CompiledConfig {
  spec: ConfigSpaceSpec;
  decisions: Record<ConfigDecision, Expr | null>;
  perms: Map<string, CompiledPerms>;
  capLengths: Map<number, number>;
  ecapLengths: Map<number, number>;
}

class ConstantScope implements EvalScope {
  assumptions = {};
  assumed = new Set<string>();
  value(name: string): number | undefined {
    return PCI_CONFIG_CONSTANTS[name];
  }
  hasFlag(): number | undefined {
    return undefined;
  }
  meaning(): string | undefined {
    return undefined;
  }
}

/** The value of a constant expression (row arguments, lengths), or a ConfigCompileError. */
export function constantValue(text: string, parse: Parse, where: string): number {
  const expr = parse(text);
  try {
    return evaluate(expr, new ConstantScope(), []);
  } catch (e) {
    if (e instanceof NeedsAssumption)
      throw new ConfigCompileError(`${where}: "${e.name}" is not a name the model knows`);
    throw e;
  }
}

const MASK = { 1: 0xff, 2: 0xffff, 4: 0xffffffff } as const;
const SETTER = { 1: 'p_setb', 2: 'p_setw', 4: 'p_setd' } as const;

function compilePerms(p: CapPerms, parse: Parse, variant: string): CompiledPerms {
  const where = (r: PermRow) =>
    `${variant} ${p.cap} ${SETTER[r.width]}(perm, ${r.offset}, ${r.virt}, ${r.write})`;
  let size: CompiledPerms['size'] = null;
  if (p.alloc === 'len') size = 'len';
  else if (p.alloc !== null) size = (constantValue(p.alloc, parse, `${variant} ${p.cap} alloc`) + 3) & ~3;
  return {
    spec: p,
    size,
    rows: p.rows.map((r) => ({
      row: r,
      text: `${SETTER[r.width]}(perm, ${r.offset}, ${r.virt}, ${r.write})`,
      at: constantValue(r.offset, parse, where(r)),
      virt: (constantValue(r.virt, parse, where(r)) & MASK[r.width]) >>> 0,
      write: (constantValue(r.write, parse, where(r)) & MASK[r.width]) >>> 0,
      when: r.when ? parse(r.when) : null,
    })),
  };
}

/** The config-space part of variant `id` compiled with `parse`. */
export function compileConfigPart(spec: ConfigSpaceSpec, parse: Parse, id: string): CompiledConfig {
  // the parser remembers what it parsed (csrc/cexpr.ts): every variant shares most of its rows' C text
  const decisions = {} as Record<ConfigDecision, Expr | null>;
  for (const d of CONFIG_DECISIONS) {
    const text = spec.decisions[d];
    decisions[d] = text ? parse(text) : null;
  }
  const lengths = (table: Record<number, string>, what: string) =>
    new Map(
      Object.entries(table).map(([n, t]) => [Number(n), constantValue(t, parse, `${id} ${what}[${n}]`)]),
    );
  return {
    spec,
    decisions,
    perms: new Map(spec.perms.map((p) => [p.cap, compilePerms(p, parse, id)])),
    capLengths: lengths(spec.capLengths, 'pci_cap_length'),
    ecapLengths: lengths(spec.ecapLengths, 'pci_ext_cap_length'),
  };
}

/**
 * The key of each config part met, by the part itself: a part is data, built whole (a variant's row,
 * or derive.ts's copy for a patch) and never changed after, and every system, policy and cached
 * comparison asks for its key (1-2 ms of JSON per analysis otherwise).
 */
const contentKeys = new WeakMap<ConfigSpaceSpec, string>();

/** A stable text of a config part's content (the cache key part). */
export function configContentKey(spec: ConfigSpaceSpec): string {
  let key = contentKeys.get(spec);
  if (key === undefined) contentKeys.set(spec, (key = configContentText(spec)));
  return key;
}

function configContentText(spec: ConfigSpaceSpec): string {
  return JSON.stringify([configTablesKey(spec), spec.decisions]);
}

const tablesKeys = new WeakMap<ConfigSpaceSpec, string>();

/**
 * The tables' contents met, by a short name: the 16 kernels have 6, and a patch that changes none
 * has its kernel's. Their 8 KB of JSON were in every key made of a part's content (policies,
 * systems, comparisons: 37 KB a comparison's key; after the 73 corpus and seed files the caches'
 * keys held 15 MB).
 */
const tablesNames = new ContentNames('T', 256);

/**
 * The key of a config part without its decisions: a name of its permission tables, capability
 * lengths, rules and PCI core's side (one name per content: ContentNames). Two parts with the same
 * tables read the same of everything but their decisions (model/system.ts reuses a step whose
 * decisions read the same).
 */
export function configTablesKey(spec: ConfigSpaceSpec): string {
  let key = tablesKeys.get(spec);
  if (key === undefined)
    tablesKeys.set(
      spec,
      (key = tablesNames.name(
        JSON.stringify([spec.perms, spec.capLengths, spec.ecapLengths, spec.rules, spec.pciCore]),
      )),
    );
  return key;
}
