/**
 * A QEMU version ready to run: every C text of its spec parsed by the parser handed in (csrc/'s
 * parseCExpression in the server), exactly as model/policy.ts compiles a kernel. A spec built
 * from a patch's post-image compiles like a built-in one; its content key is the cache key.
 */
import { ContentNames } from '../cache';
import type { Expr } from '../types';
import type {
  BodyNode,
  CheckNode,
  CompiledCheck,
  CompiledNode,
  PlugCheck,
  ZpciInstruction,
  ZpciVersionSpec,
} from './types';
import { ZPCI_INSTRUCTIONS } from './types';

export type CompiledPlugCheck = PlugCheck & { conditionExpr: Expr; guardExpr?: Expr };

export interface ZpciVersion {
  spec: ZpciVersionSpec;
  /** A name of the behaviour-relevant content (not id or label): two specs with one key behave alike. */
  key: string;
  decode: Record<ZpciInstruction, { len: Expr; pcias: Expr }>;
  bodies: Record<ZpciInstruction, CompiledNode[]>;
  plug: { interpretation: Expr | null; checks: CompiledPlugCheck[] };
  clp: { enable: CompiledCheck[]; disable: CompiledCheck[] };
}

/** Body nodes nest (branches, loops); a spec deeper than this is refused rather than recursed. */
export const MAX_BODY_DEPTH = 16;

function compileCheck(c: CheckNode, parse: (c: string) => Expr): CompiledCheck {
  const compiled: CompiledCheck = { ...c, conditionExpr: parse(c.condition) };
  if (c.guard) compiled.guardExpr = parse(c.guard);
  return compiled;
}

function compileBody(nodes: readonly BodyNode[], parse: (c: string) => Expr, depth: number): CompiledNode[] {
  if (depth > MAX_BODY_DEPTH)
    throw new Error(`zPCI version body nested deeper than ${MAX_BODY_DEPTH} levels`);
  return nodes.map((n): CompiledNode => {
    switch (n.kind) {
      case 'check':
        return compileCheck(n, parse);
      case 'branch':
        return {
          ...n,
          cases: n.cases.map((c) => ({
            when: c.when,
            whenExpr: c.when === null ? null : parse(c.when),
            label: c.label,
            body: compileBody(c.body, parse, depth + 1),
          })),
        };
      case 'access':
        return { ...n, sizeExpr: parse(n.size), ...(n.addr ? { addrExpr: parse(n.addr) } : {}) };
      case 'loop':
        return { ...n, testExpr: parse(n.test), body: compileBody(n.body, parse, depth + 1) };
    }
  });
}

/**
 * The versions' contents met, by a short name (ContentNames): 8 KB of JSON each, in every zPCI
 * system's and comparison's key.
 */
const versionNames = new ContentNames('Q', 256);

/** A name of what a version's behaviour reads (not its id or label): one name per content. */
export function zpciVersionContentKey(spec: ZpciVersionSpec): string {
  return versionNames.name(
    JSON.stringify([spec.decode, spec.instructions, spec.plug, spec.clp, Object.entries(spec.traits).sort()]),
  );
}

export function compileZpciVersion(spec: ZpciVersionSpec, parse: (c: string) => Expr): ZpciVersion {
  const decode = {} as ZpciVersion['decode'];
  const bodies = {} as ZpciVersion['bodies'];
  for (const instruction of ZPCI_INSTRUCTIONS) {
    decode[instruction] = {
      len: parse(spec.decode[instruction].len),
      pcias: parse(spec.decode[instruction].pcias),
    };
    bodies[instruction] = compileBody(spec.instructions[instruction], parse, 0);
  }
  return {
    spec,
    key: zpciVersionContentKey(spec),
    decode,
    bodies,
    plug: {
      interpretation: spec.plug.interpretation === null ? null : parse(spec.plug.interpretation),
      checks: spec.plug.checks.map((c) => ({
        ...c,
        conditionExpr: parse(c.condition),
        ...(c.guard ? { guardExpr: parse(c.guard) } : {}),
      })),
    },
    clp: {
      enable: spec.clp.enable.map((c) => compileCheck(c, parse)),
      disable: spec.clp.disable.map((c) => compileCheck(c, parse)),
    },
  };
}
