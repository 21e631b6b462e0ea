/**
 * What a recogniser works with: one parsed side of one hunk, the patch-wide facts it may need
 * (which capability an init function fills, from vfio_pci_init_perm_bits or the model's tables),
 * and the helper to record a fact at the lines of its statement.
 */
import type { Node } from 'web-tree-sitter';
import { CONFIG_VARIANTS } from '../../model/vfio/config';
import { functionOf, lineSpan, nodes, type Side } from './side';
import type { ConfigFact, ConfigSlot, HunkImages } from './types';

export interface ReadContext {
  side: Side;
  hunk: HunkImages;
  /** init function -> capability ("init_pci_cap_pm_perm" -> "PM"), from the patch's own calls first. */
  bindings: Map<string, string>;
  facts: ConfigFact[];
}

/** A recogniser: the files it reads and what it records. Rows of RECOGNISERS (recognisers.ts). */
export interface Recogniser {
  id: string;
  file: RegExp;
  read(ctx: ReadContext): void;
}

/** Nodes of the types inside functions the predicate accepts. */
export function inFunctions(
  ctx: ReadContext,
  types: string[],
  accept: (fn: string) => boolean,
): { node: Node; fn: string }[] {
  const out: { node: Node; fn: string }[] = [];
  for (const node of nodes(ctx.side.root, types)) {
    const fn = functionOf(ctx.side, node);
    if (fn && accept(fn)) out.push({ node, fn });
  }
  return out;
}

export const named =
  (...names: string[]) =>
  (fn: string) =>
    names.includes(fn);

export function record(
  ctx: ReadContext,
  slot: ConfigSlot,
  value: string | null,
  place: Node | number[],
  what: string,
  extra: Partial<ConfigFact> = {},
): ConfigFact {
  const lines = Array.isArray(place) ? place : lineSpan(ctx.side, place);
  const f: ConfigFact = {
    slot,
    value,
    lines,
    covers: lines,
    function: Array.isArray(place) ? ctx.side.hunkFunction : functionOf(ctx.side, place),
    what,
    ...extra,
  };
  ctx.facts.push(f);
  return f;
}

/** The capability an init function fills, as the model's variants name it. */
const MODEL_BINDINGS: ReadonlyMap<string, string> = new Map(
  CONFIG_VARIANTS.flatMap((v) => v.perms.filter((p) => p.init).map((p) => [p.init!, p.cap] as const)),
);

/** "init_pci_ext_cap_err_perm" -> "ext ERR" when neither the patch nor the model says. */
export function capOfInit(ctx: ReadContext, fn: string): string | undefined {
  const own = ctx.bindings.get(fn) ?? MODEL_BINDINGS.get(fn);
  if (own) return own;
  const m = /^init_pci_(ext_)?cap_(\w+?)_perm$/.exec(fn);
  if (!m) return undefined;
  return m[1] ? `ext ${m[2].toUpperCase()}` : m[2].toUpperCase();
}
