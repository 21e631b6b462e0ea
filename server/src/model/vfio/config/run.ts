/**
 * One step of one device under one kernel of the one vfio-pci model: the working copy of the
 * state (config bytes and the device's runtime state), the hardware's reaction to writes,
 * vconfig, decisions with their explanations (Command-register and config-space alike), and the
 * observation being built. layout.ts (vfio_config_init) and access.ts (the read/write primitives
 * and write functions) work on it; model/machine.ts and machine.ts here are its step handlers.
 */
import { assumptionKey } from '../../core/system';
import { evaluateDecision, opaqueName, type evaluate } from '../../evaluate';
import type { Policy } from '../../policy';
import type { AccessOutcome, DecisionPoint, Explanation, RestoreObservation } from '../../types';
import type { CompiledConfig } from './compilePart';
import { readBytes, registerName, type HardwareImage } from './image';
import { C } from './registers';
import { ConfigScope } from './scope';
import type { CfgObservation, CfgStep, ConfigDecision, ConfigDeviceKind, SideEffect } from './types';

/** Per-region permissions after vfio_config_init (cap_perms entry, msi_perm, unassigned, ...). */
export interface RuntimePerm {
  name: string;
  readfn: CfgObservation['chunks'][number]['readfn'];
  writefn: CfgObservation['chunks'][number]['writefn'];
  /** Allocated masks (null: none allocated). */
  virt: Uint8Array | null;
  write: Uint8Array | null;
  rows: { text: string; at: number; width: number; virt: number; write: number }[];
}

/** What vfio_config_init produced: byte map, vconfig, permissions, saved BARs. */
export interface Layout {
  map: Uint8Array;
  vconfig: Uint8Array;
  /** Permission by map value, for std (index < 0x100) and ext space. */
  stdPerms: Map<number, RuntimePerm>;
  extPerms: Map<number, RuntimePerm>;
  rbar: number[];
  extendedCaps: boolean;
  /** Explanations of the init decisions (shown by the open step). */
  why: Explanation[];
  notes: string[];
}

/** The state of one device: its config space as bytes, and its runtime state. */
export interface CfgState {
  open: boolean;
  /** Which layout (machine.ts layoutId: one id per layout content). */
  layout: string;
  /** Bytes of vconfig that differ from the layout's. */
  vconfig: Readonly<Record<number, number>>;
  /** Bytes of the hardware that differ from the kind's image. */
  hw: Readonly<Record<number, number>>;
  /** pdev->current_state as vfio/PCI core know it. */
  power: number;
  virqDisabled: boolean;
  irqType: number;
  msiQmax: number;
  pasidEnabled: boolean;
  priEnabled: boolean;
  atsEnabled: boolean;
  atsStu: number;
  /** BAR mmaps are populated (a touch does not fault). */
  mapped: boolean;
}

export const CLOSED_CFG_STATE: CfgState = {
  open: false,
  layout: '',
  vconfig: {},
  hw: {},
  power: 0,
  virqDisabled: false,
  irqType: -1,
  msiQmax: 0,
  pasidEnabled: false,
  priEnabled: false,
  atsEnabled: false,
  atsStu: 0,
  mapped: false,
};

/** What a Command-register step observes besides the bytes (model/machine.ts fills it). */
export interface CommandObserved {
  outcome?: AccessOutcome;
  read?: number;
  restore?: RestoreObservation;
  log?: string;
  notes: string[];
}

export interface Context {
  policy: Policy;
  kind: ConfigDeviceKind;
  image: HardwareImage;
  layouts: Map<string, Layout>;
  /** Decisions already evaluated on this kind under this policy, per expression and view (Run.explain). */
  decided: WeakMap<object, Map<string, Decided>>;
}

/** A decision evaluated once: what every later evaluation with the same inputs returns. */
export interface Decided {
  result: number;
  explanation: Explanation;
  assumed: string[];
}

export class Run {
  readonly state: CfgState;
  readonly obs: CfgObservation;
  /** Every decision the step took, in order (Command-register points and config-space decisions). */
  readonly why: Explanation[] = [];
  /** Every decision the step asked for, those the kernel does not have included (they leave no `why`). */
  readonly consulted = new Set<string>();
  readonly command: CommandObserved = { notes: [] };
  private readonly vcfg: ByteOverlay;
  private readonly hwb: ByteOverlay;
  layout: Layout | undefined;

  constructor(
    readonly ctx: Context,
    private readonly before: CfgState,
    readonly step: CfgStep,
    readonly assumptions: Readonly<Record<string, number>>,
    readonly assumed: Set<string>,
  ) {
    this.state = { ...before };
    this.vcfg = new ByteOverlay(before.vconfig);
    this.hwb = new ByteOverlay(before.hw);
    this.layout = before.open ? ctx.layouts.get(before.layout) : undefined;
    this.obs = {
      step: step.text,
      outcome: 'ok',
      hardware: [],
      dropped: [],
      effects: [],
      chunks: [],
      notes: [],
    };
  }

  get policy(): Policy {
    return this.ctx.policy;
  }

  /** The config-space part of the kernel. */
  get variant(): CompiledConfig {
    return this.ctx.policy.config;
  }

  note(text: string): void {
    this.obs.notes.push(text);
  }

  effect(e: SideEffect): void {
    this.obs.effects.push(e);
  }

  /** The BAR mmaps are zapped (a later touch faults and is tested again). */
  zap(why: string): void {
    this.state.mapped = false;
    this.effect({ kind: 'mmaps-zapped' });
    this.note(`BAR mmaps zapped: ${why}`);
  }

  /** Whether the step zapped the BAR mmaps. */
  get zapped(): boolean {
    return this.obs.effects.some((e) => e.kind === 'mmaps-zapped');
  }

  /* ---- hardware ---- */

  hwByte(at: number): number {
    return this.hwb.get(at) ?? this.ctx.image.bytes[at] ?? 0;
  }

  hwRead(at: number, width: number): number {
    let v = 0;
    for (let i = 0; i < width; i++) v |= this.hwByte(at + i) << (8 * i);
    return v >>> 0;
  }

  private setHw(at: number, value: number): void {
    if (value === this.ctx.image.bytes[at]) this.hwb.delete(at);
    else this.hwb.set(at, value);
  }

  /**
   * A config write reaching the device: stored bits change, write-1-to-clear bits clear, and a
   * 1 in an action bit starts that action. `by` says whose write it is (the user's through vfio,
   * or the kernel's: pcie_set_readrq, pci_set_power_state, the MSI flags write-back).
   */
  hwWrite(at: number, width: number, value: number, by: 'user' | 'kernel'): void {
    const img = this.ctx.image;
    if (at < 0 || at + width > img.size) return;
    this.obs.hardware.push({ register: registerName(img, at), offset: at, width, value: value >>> 0 });
    for (let i = 0; i < width; i++) {
      const v = (value >>> (8 * i)) & 0xff;
      const old = this.hwByte(at + i);
      const rw = img.rw[at + i];
      this.setHw(at + i, ((old & ~rw) | (v & rw)) & ~(v & img.w1c[at + i]) & 0xff);
    }
    for (const r of img.actions) {
      const a = r.reg.action;
      if (!a || r.at + r.reg.width <= at || r.at >= at + width) continue;
      const written = (value >>> (8 * Math.max(0, r.at - at))) & a.bits;
      if (!written) continue;
      if (a.does === 'function-reset') {
        this.hwb.replace(resetOverlay(img));
        this.effect({ kind: 'function-reset', by: by === 'user' ? 'hardware' : 'vfio' });
        this.note(
          `${registerName(img, r.at)} bit 0x${a.bits.toString(16)} written to the device: it resets itself (vfio does not know)`,
        );
      }
    }
    const pm = img.pm;
    if (pm !== undefined && by === 'user' && at <= pm + C.PCI_PM_CTRL && at + width > pm + C.PCI_PM_CTRL) {
      const to = this.hwByte(pm + C.PCI_PM_CTRL) & C.PCI_PM_CTRL_STATE_MASK;
      if (to !== this.state.power) {
        this.effect({ kind: 'power', from: this.state.power, to, by: 'hardware' });
        this.note(`PowerState written to the device: D${to} without vfio or the PCI core knowing`);
      }
    }
  }

  /** The hardware's power state (PMCSR PowerState; without PM, the state the PCI core knows). */
  hwPower(): number {
    const pm = this.ctx.image.pm;
    return pm !== undefined ? this.hwByte(pm + C.PCI_PM_CTRL) & C.PCI_PM_CTRL_STATE_MASK : this.state.power;
  }

  /** A function reset behind vfio's back: every register to its reset value; BARs a firmware or host emulates are kept. */
  hwReset(keepBars: boolean): void {
    const img = this.ctx.image;
    const bars: [number, number][] = [];
    if (keepBars)
      for (let i = C.PCI_BASE_ADDRESS_0; i < C.PCI_BASE_ADDRESS_5 + 4; i++) bars.push([i, this.hwByte(i)]);
    // every byte takes its reset value: the overlay becomes the bytes whose reset value is not the image's
    this.hwb.replace(resetOverlay(img));
    for (const [i, v] of bars) this.setHw(i, v);
  }

  /* ---- vconfig ---- */

  vByte(at: number): number {
    return this.vcfg.get(at) ?? this.layout?.vconfig[at] ?? 0;
  }

  vRead(at: number, width: number): number {
    let v = 0;
    for (let i = 0; i < width; i++) v |= this.vByte(at + i) << (8 * i);
    return v >>> 0;
  }

  vWrite(at: number, width: number, value: number): void {
    for (let i = 0; i < width; i++) {
      const b = (value >>> (8 * i)) & 0xff;
      if (b === this.layout?.vconfig[at + i]) this.vcfg.delete(at + i);
      else this.vcfg.set(at + i, b);
    }
  }

  /** vfio's saved BARs no longer match the device (vfio_need_bar_restore). */
  barsNeedRestore(): boolean {
    const rbar = this.layout?.rbar ?? [];
    for (let i = 0; i < 6; i++) {
      if (rbar[i] && this.hwRead(C.PCI_BASE_ADDRESS_0 + 4 * i, 4) !== rbar[i]) return true;
    }
    return false;
  }

  /* ---- decisions ---- */

  private scope(locals: Record<string, number>, command: boolean): ConfigScope {
    const cmd = this.layout ? this.vRead(C.PCI_COMMAND, 2) : 0;
    const exp = this.ctx.kind.capabilities.find((c) => c.space === 'std' && c.id === C.PCI_CAP_ID_EXP);
    const pcieType = exp ? (readBytes(this.ctx.image.bytes, exp.offset + C.PCI_EXP_FLAGS, 2) >> 4) & 0xf : -1;
    let isVirtfn = -1;
    const view = {
      virt: cmd,
      power: this.state.power,
      barsNeedRestore: this.barsNeedRestore(),
      irqType: this.state.irqType,
      msiQmax: this.state.msiQmax,
      pasidEnabled: this.state.pasidEnabled,
      priEnabled: this.state.priEnabled,
      atsStu: this.state.atsStu,
      pcieType,
      isVirtfn: () => {
        if (isVirtfn < 0) isVirtfn = scope.value('pdev->is_virtfn') ?? 0;
        return isVirtfn;
      },
    };
    const rules = this.variant.spec.rules;
    const all = { PCI_CAP_ID_MAX: rules.capIdMax, PCI_EXT_CAP_ID_MAX: rules.ecapIdMax, ...locals };
    const scope = new ConfigScope(this.ctx.kind, this.policy, view, this.assumptions, all, command);
    return scope;
  }

  /** Evaluates a config decision; null when the kernel does not have it. */
  decide(point: ConfigDecision, locals: Record<string, number> = {}): number | null {
    this.consulted.add(point);
    const expr = this.variant.decisions[point];
    if (!expr) return null;
    return this.explain(point, this.variant.spec.decisions[point] ?? expr.text, expr, locals);
  }

  /** Evaluates a Command-register decision point (model/commandKernels.ts); null when the kernel has none. */
  decideCommand(point: DecisionPoint, locals: Record<string, number> = {}): number | null {
    this.consulted.add(point);
    const expr = this.policy.decisions[point];
    if (!expr) return null;
    return this.explain(point, this.policy.spec.decisions[point] ?? expr.text, expr, locals, true);
  }

  /** Evaluates a C condition the model holds outside the decision table (a row's `when`). */
  explain(
    decision: string,
    text: string,
    expr: Parameters<typeof evaluate>[0],
    locals: Record<string, number>,
    command = false,
  ): number {
    this.consulted.add(decision);
    // the same question in many states (most steps do not touch what a decision reads): asked once
    const view = this.viewKey(locals, command, decision, text);
    let memo = this.ctx.decided.get(expr);
    if (!memo) this.ctx.decided.set(expr, (memo = new Map()));
    let known = memo.get(view);
    if (!known) {
      const scope = this.scope(locals, command);
      try {
        // bounded like every decision: past MAX_ASSUMED_UNKNOWNS unknowns it is one unknown (evaluate.ts)
        const { value: result, operands } = evaluateDecision(expr, scope, opaqueName(decision));
        known = {
          result,
          explanation: { decision, expression: text, operands, result },
          assumed: [...scope.assumed],
        };
        memo.set(view, known);
      } finally {
        // on NeedsAssumption too: the caller forks on the name, under the names assumed so far
        for (const n of scope.assumed) this.assumed.add(n);
      }
    }
    for (const n of known.assumed) this.assumed.add(n);
    this.why.push(known.explanation);
    return known.result;
  }

  /** Everything an evaluation reads besides the kind and the policy: the state's view, the locals, the assumptions. */
  private viewKey(locals: Record<string, number>, command: boolean, decision: string, text: string): string {
    const s = this.state;
    let key =
      `${+command}|${decision}|${text.length}|${this.layout ? this.vRead(C.PCI_COMMAND, 2) : 0}|${s.power}|` +
      `${+this.barsNeedRestore()}|${s.irqType}|${s.msiQmax}|${+s.pasidEnabled}|${+s.priEnabled}|${s.atsStu}|` +
      assumptionKey(this.assumptions);
    for (const name in locals) key += `|${name}=${locals[name]}`;
    return key;
  }

  /**
   * The state after the step (overlays frozen; a record's integer keys list in ascending order):
   * the state before itself when the step changed nothing (1,337 of seed 002's 2,805 steps), so
   * its key and everything memoised on it are not made again.
   */
  finish(): CfgState {
    const vconfig = this.vcfg.freeze();
    const hw = this.hwb.freeze();
    const before = this.before;
    if (vconfig === before.vconfig && hw === before.hw && sameRuntime(this.state, before)) return before;
    return { ...this.state, vconfig, hw };
  }
}

/**
 * Whether two states agree in every field but their two byte overlays (finish compares those by
 * identity). Written out field by field, not a loop over CLOSED_CFG_STATE's keys (that loop was
 * 1.7 ms of seed 002's cold CLI profile, its keyed loads interpreted);
 * test/unit/model/machine.test.ts checks that every field of CLOSED_CFG_STATE is compared.
 */
export function sameRuntime(a: CfgState, b: CfgState): boolean {
  return (
    a.open === b.open &&
    a.layout === b.layout &&
    a.power === b.power &&
    a.virqDisabled === b.virqDisabled &&
    a.irqType === b.irqType &&
    a.msiQmax === b.msiQmax &&
    a.pasidEnabled === b.pasidEnabled &&
    a.priEnabled === b.priEnabled &&
    a.atsEnabled === b.atsEnabled &&
    a.atsStu === b.atsStu &&
    a.mapped === b.mapped
  );
}

const resetOverlays = new WeakMap<HardwareImage, Readonly<Record<number, number>>>();

/** The bytes whose reset value differs from the image's: the hardware overlay right after a reset. */
function resetOverlay(img: HardwareImage): Readonly<Record<number, number>> {
  let o = resetOverlays.get(img);
  if (!o) {
    const bytes: Record<number, number> = {};
    for (let i = 0; i < img.size; i++) if (img.reset[i] !== img.bytes[i]) bytes[i] = img.reset[i];
    resetOverlays.set(img, (o = bytes));
  }
  return o;
}

/**
 * The bytes a state holds that differ from their base (the hardware image, the layout's vconfig),
 * copied on the first write only: most steps write nothing, and the state before is never changed.
 */
class ByteOverlay {
  private own: Record<number, number> | undefined;

  constructor(private before: Readonly<Record<number, number>>) {}

  get(at: number): number | undefined {
    return (this.own ?? this.before)[at];
  }

  set(at: number, value: number): void {
    if (this.get(at) === value) return;
    (this.own ??= { ...this.before })[at] = value;
  }

  delete(at: number): void {
    if (this.get(at) === undefined) return;
    delete (this.own ??= { ...this.before })[at];
  }

  /** Every byte replaced: `bytes` is the new overlay (never written to: a later write copies it). */
  replace(bytes: Readonly<Record<number, number>>): void {
    this.own = undefined;
    this.before = bytes;
  }

  freeze(): Readonly<Record<number, number>> {
    return this.own ?? this.before;
  }
}
