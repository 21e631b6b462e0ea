/**
 * Running one PCILG, PCISTG or PCISTB through a version's body: the fields decoded with the
 * version's C text, then every node in QEMU's order (checks, branches, accesses, loops) until a
 * check decides or the body ends (cc 0). Each evaluated node is explained with its operands;
 * the accesses performed say how the load or store reaches the device.
 */
import { NeedsAssumption } from '../evaluate';
import type { CompiledHost } from './host';
import { hostLoad, hostRegionBlock, hostStores } from './host';
import type { ZpciScope } from './evaluation';
import { checkText, evaluateCheck, evaluateExpression } from './evaluation';
import { MEMTX } from './constants';
import type { ScopeContext } from './scope';
import { NotModelled, accessValid, barBoundary, barRegion, local } from './scope';
import type {
  AccessEffect,
  CheckOutcome,
  CompiledNode,
  ZpciDelivery,
  ZpciDeviceKind,
  ZpciExplanation,
  ZpciInstruction,
  ZpciOutcome,
} from './types';
import type { ZpciVersion } from './compile';

/** A loop runs at most this many times (len / 8 <= 1024 for a 13-bit length). */
export const MAX_LOOP_ITERATIONS = 1100;

interface AccessRecord {
  effect: AccessEffect;
  addr: number;
  size: number;
  ok: boolean;
}

export function outcomeOf(o: CheckOutcome): ZpciOutcome {
  if ('pgm' in o) return { kind: 'program-interrupt', pgm: o.pgm };
  if ('clp' in o) return { kind: 'clp', response: o.clp };
  if ('notModelled' in o) return { kind: 'not-modelled', reason: o.notModelled };
  return o.status === undefined
    ? { kind: 'condition-code', cc: o.cc }
    : { kind: 'condition-code', cc: o.cc, status: o.status };
}

class Walk {
  readonly why: ZpciExplanation[] = [];
  readonly notes: string[] = [];
  readonly accesses: AccessRecord[] = [];

  constructor(
    readonly ctx: ScopeContext,
    readonly scope: ZpciScope,
  ) {}

  value(expr: Parameters<typeof evaluateExpression>[0]): number {
    return evaluateExpression(expr, this.scope).value;
  }

  nodes(nodes: readonly CompiledNode[], prefix: string): ZpciOutcome | null {
    for (const node of nodes) {
      const outcome = this.node(node, prefix);
      if (outcome) return outcome;
    }
    return null;
  }

  node(node: CompiledNode, prefix: string): ZpciOutcome | null {
    const id = `${prefix}/${node.id}`;
    switch (node.kind) {
      case 'check': {
        const e = evaluateCheck(node, this.scope, id);
        this.why.push(e);
        if (!e.result) return null;
        e.decided = true;
        return outcomeOf(node.outcome);
      }
      case 'branch':
        for (const c of node.cases) {
          if (c.whenExpr) {
            const { value, operands } = evaluateExpression(c.whenExpr, this.scope);
            this.why.push({
              node: id,
              label: `${node.label}: ${c.label}`,
              expression: c.when ?? '',
              operands,
              result: Number(!!value),
            });
            if (!value) continue;
          } else {
            this.why.push({
              node: id,
              label: `${node.label}: ${c.label}`,
              expression: 'default',
              operands: [],
              result: 1,
            });
          }
          return this.nodes(c.body, prefix);
        }
        return null;
      case 'access':
        return this.access(node, id);
      case 'loop':
        return this.loop(node, prefix, id);
    }
  }

  access(node: Extract<CompiledNode, { kind: 'access' }>, id: string): ZpciOutcome | null {
    const sized = evaluateExpression(node.sizeExpr, this.scope);
    const at = node.addrExpr ? evaluateExpression(node.addrExpr, this.scope) : { value: 0, operands: [] };
    const size = sized.value;
    const addr = at.value;
    const operands = [...at.operands, ...sized.operands];
    let ok = true;
    let meaning: string | undefined;
    if (node.effect === 'bar-load' || node.effect === 'bar-store' || node.effect === 'region-block') {
      const bar = this.ctx.locals.get('pcias')?.value ?? 0;
      const boundary = barBoundary(this.ctx.device, bar, addr, size);
      if (boundary) return { kind: 'not-modelled', reason: boundary };
      if (node.effect !== 'region-block') {
        const valid = accessValid(this.ctx.traits, barRegion(this.ctx.traits, this.ctx.device), addr, size);
        ok = !!valid.value;
        meaning = valid.meaning;
      }
    }
    if (node.effect === 'guest-read' && node.buffer !== undefined && size > node.buffer) {
      this.why.push({
        node: id,
        label: node.label,
        expression: node.statement,
        operands,
        result: 0,
        decided: true,
      });
      return { kind: 'staging-overflow', len: size, buffer: node.buffer };
    }
    if (node.effect === 'guest-read')
      this.note('the guest address is assumed mapped (a fault would be a guest exception)');
    const explanation: ZpciExplanation = {
      node: id,
      label: node.label,
      expression: node.statement,
      operands,
      result: Number(ok),
    };
    if (meaning)
      explanation.operands = [
        ...operands,
        { name: 'memory_region_access_valid', value: Number(ok), meaning },
      ];
    this.why.push(explanation);
    this.accesses.push({ effect: node.effect, addr, size, ok });
    if (node.assign) {
      const r = ok ? MEMTX.MEMTX_OK : MEMTX.MEMTX_DECODE_ERROR;
      this.ctx.locals.set(node.assign, local(r, ok ? 'MEMTX_OK' : `MEMTX_DECODE_ERROR (${meaning})`));
    } else if (!ok) {
      this.note(
        `${node.label} at ${addr} rejected by the memory region (${meaning}); this version ignores the result`,
      );
    }
    return null;
  }

  loop(node: Extract<CompiledNode, { kind: 'loop' }>, prefix: string, id: string): ZpciOutcome | null {
    let i = 0;
    let iterations = 0;
    const start = this.why.length;
    for (;;) {
      this.ctx.locals.set(node.variable, local(i, `loop variable of ${node.label}`));
      if (!this.value(node.testExpr)) break;
      if (++iterations > MAX_LOOP_ITERATIONS)
        return { kind: 'not-modelled', reason: `${node.label}: more than ${MAX_LOOP_ITERATIONS} iterations` };
      const mark = this.why.length;
      const outcome = this.nodes(node.body, prefix);
      if (outcome) return outcome;
      // Keep the first iteration's explanations only: the others repeat them with another i.
      if (iterations > 1) this.why.length = mark;
      i += node.step;
    }
    this.why.splice(start, 0, {
      node: id,
      label: `${node.label}: ${iterations} iteration(s) until ${node.variable} = ${i}, the first explained`,
      expression: `for (${node.variable} = 0; ${node.test}; ${node.variable} += ${node.step})`,
      operands: [],
      result: iterations,
    });
    return null;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }
}

function delivery(
  walk: Walk,
  instruction: ZpciInstruction,
  device: ZpciDeviceKind,
  host: CompiledHost,
): ZpciDelivery | undefined {
  const done = walk.accesses.filter((a) => a.ok && a.effect !== 'guest-read');
  const first = done[0];
  if (!first) return undefined;
  if (first.size === 0) {
    walk.note('a 0-byte access: dispatched, but no byte reaches the device');
    return undefined;
  }
  const vfio = device.backend === 'vfio';
  if (!vfio) walk.note("the access reaches QEMU's device model");
  switch (first.effect) {
    case 'config-load':
    case 'config-store':
      walk.note(
        "config space: QEMU's PCI config emulation (for vfio, vfio-pci's config region) takes it; not modelled further",
      );
      return { path: 'config', pieces: 1, size: first.size };
    case 'region-block':
      return { path: 'zpci-io-region', pieces: 1, size: first.size, host: hostRegionBlock(first.size) };
    case 'bar-load':
      return {
        path: 'bar-access',
        pieces: 1,
        size: first.size,
        ...(vfio ? { host: hostLoad(host, device, first.addr, first.size) } : {}),
      };
    default: {
      const pieces = instruction === 'pcistb';
      const d: ZpciDelivery = {
        path: pieces ? 'pieces' : 'bar-access',
        pieces: done.length,
        size: first.size,
      };
      if (vfio) {
        const stored = hostStores(host, device, first.addr, first.size, done.length);
        d.host = stored.delivery;
        walk.why.push(...stored.why);
      }
      return d;
    }
  }
}

export interface InstructionRun {
  outcome: ZpciOutcome;
  delivery?: ZpciDelivery;
  why: ZpciExplanation[];
  notes: string[];
}

/** Runs the instruction; NeedsAssumption propagates (the caller forks on the unknown name). */
export function runInstruction(
  version: ZpciVersion,
  instruction: ZpciInstruction,
  ctx: ScopeContext,
  scope: ZpciScope,
): InstructionRun {
  const walk = new Walk(ctx, scope);
  const decode = version.decode[instruction];
  for (const field of ['pcias', 'len'] as const) {
    const e = evaluateExpression(decode[field], scope);
    ctx.locals.set(
      field,
      local(e.value, field === 'len' ? 'the length field as this version reads it' : 'the PCI address space'),
    );
    walk.why.push({
      node: `${instruction}/decode-${field}`,
      label: `${field} decoded`,
      expression: `${field} = ${checkText({ condition: version.spec.decode[instruction][field] })}`,
      operands: e.operands,
      result: e.value,
    });
  }
  let outcome: ZpciOutcome | null;
  try {
    outcome = walk.nodes(version.bodies[instruction], instruction);
  } catch (e) {
    if (e instanceof NeedsAssumption || !(e instanceof NotModelled)) throw e;
    outcome = { kind: 'not-modelled', reason: e.message };
  }
  const result: InstructionRun = {
    outcome: outcome ?? { kind: 'accepted' },
    why: walk.why,
    notes: walk.notes,
  };
  if (!outcome) {
    const d = delivery(walk, instruction, ctx.device, ctx.host);
    if (d) result.delivery = d;
  }
  return result;
}
