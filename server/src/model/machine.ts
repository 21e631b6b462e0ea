/**
 * The one vfio-pci state machine: each step is a row of STEP_HANDLERS. The state is the device's
 * config space as bytes (vconfig, the hardware's registers, the layout vfio_config_init made) and
 * its runtime state (power, INTx, MSI, PCI core enables, BAR mmaps); the Command-register story is
 * the basic header's part of it. The Command-register steps (write-cmd, read-cmd, mmio-read, ...)
 * are config accesses of the header (write-cmd V is a cfg-write of PCI_COMMAND, read-cmd a
 * cfg-read, d3hot/d0 a PowerState write to PM_CTRL) plus the BAR accesses that read COMMAND and
 * the power state from the bytes; the config-space steps are vfio/config/machine.ts's rows. A
 * decision whose value depends on an identifier the model does not know forks the step: applyStep
 * returns one result per assumed value (0 and 1).
 */
import type { Assumptions } from './core/system';
import { NeedsAssumption } from './evaluate';
import {
  PCI_COMMAND,
  PCI_COMMAND_IO,
  PCI_COMMAND_MEMORY,
  PCI_D0,
  PCI_D3HOT,
  VIRTUAL_COMMAND_BITS,
  decodeCommand,
} from './pci';
import type { Policy } from './policy';
import { BoundedCache, MemoTable } from './cache';
import { stepPart, type Step } from './steps';
import type { AccessOutcome, DeviceKind, Explanation, StepAction, StepObservation } from './types';
import { DECISION_POINTS } from './types';
import { configRw } from './vfio/config/access';
import { buildImage } from './vfio/config/image';
import { CONFIG_STEP_HANDLERS, configStepRefusal, openConfigSpace, setPower } from './vfio/config/machine';
import { Run, CLOSED_CFG_STATE, type CfgState, type Context, type Layout } from './vfio/config/run';

const PCI_BASE_ADDRESS_0 = 0x10;

/** The state of one device under one kernel: its config space as bytes and its runtime state. */
export type DeviceState = CfgState;

export type { Assumptions, StepObservation };

export interface StepResult {
  state: DeviceState;
  assumptions: Assumptions;
  entry: StepObservation;
}

export const CLOSED_STATE: DeviceState = CLOSED_CFG_STATE;

/** The context a policy on a device runs in (the hardware image, the layouts open made). */
export function deviceContext(policy: Policy, kind: DeviceKind): Context {
  return { policy, kind, image: buildImage(kind), layouts: new Map(), decided: new WeakMap() };
}

const keys = new MemoTable<DeviceState, string>();

/** A stable text of everything in the state that can change what a later step observes. */
export function stateKey(s: DeviceState): string {
  let key = keys.get(s);
  if (key !== undefined) return key;
  if (!s.open) key = 'closed';
  else {
    const bytes = (o: Readonly<Record<number, number>>) =>
      Object.keys(o)
        .map((k) => `${Number(k).toString(16)}=${o[Number(k)].toString(16)}`)
        .join(',');
    key = [
      s.layout,
      bytes(s.vconfig),
      bytes(s.hw),
      s.power,
      +s.virqDisabled,
      s.irqType,
      s.msiQmax,
      +s.pasidEnabled,
      +s.priEnabled,
      +s.atsEnabled,
      s.atsStu,
      +s.mapped,
    ].join('|');
  }
  keys.set(s, key);
  return key;
}

/** The Command-register view of a state (the state diagram's nodes): COMMAND bits, BARs, mmaps, power. */
export function commandView(ctx: Context, s: DeviceState) {
  const layout = s.open ? ctx.layouts.get(s.layout) : undefined;
  const hwByte = (at: number) => s.hw[at] ?? ctx.image.bytes[at] ?? 0;
  const word = (byte: (at: number) => number, at: number, n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++) v |= byte(at + i) << (8 * i);
    return v >>> 0;
  };
  const vByte = (at: number) => s.vconfig[at] ?? layout?.vconfig[at] ?? 0;
  const rbar = layout?.rbar ?? [];
  const barsValid = rbar.every((v, i) => i > 5 || !v || word(hwByte, PCI_BASE_ADDRESS_0 + 4 * i, 4) === v);
  return {
    open: s.open,
    virt: layout ? word(vByte, PCI_COMMAND, 2) & VIRTUAL_COMMAND_BITS : 0,
    hw: word(hwByte, PCI_COMMAND, 2),
    barsValid,
    mapped: s.mapped,
    power: s.power,
  };
}

/** Why a step cannot run in this state on this device (exploration skips it, a script reports it), or null. */
export function stepRefusal(ctx: Context, state: DeviceState, step: Step): string | null {
  return configStepRefusal(ctx, state, step);
}

/** "MEMORY hard-wired 0, IO hard-wired 0": what the device's COMMAND can hold. */
function describeHardware(device: DeviceKind): string {
  const hw = device.hardware;
  const part = (name: string, v: string) => `${name} ${v === 'implemented' ? 'implemented' : 'hard-wired 0'}`;
  return `${part('MEMORY', hw.commandMemory)}, ${part('IO', hw.commandIo)}${hw.ioBar ? ', I/O BAR' : ''}`;
}

/* ---- what the Command-register steps read of the bytes ---- */

const noteCommand = (run: Run, text: string) => run.command.notes.push(text);

/** Whether the device itself answers a memory access (decode on, BARs programmed, D0). */
function memoryResponds(run: Run): boolean {
  const hw = run.ctx.kind.hardware;
  const power = run.hwPower();
  if (power !== PCI_D0) {
    noteCommand(run, `device in D${power === PCI_D3HOT ? '3hot' : power}: no memory decode`);
    return false;
  }
  if (hw.bars === 'header' && run.barsNeedRestore()) {
    noteCommand(run, 'BARs lost by the reset and not restored: the access reaches an unprogrammed device');
    return false;
  }
  if (hw.memoryDecode === 'when-command-memory' && !(run.hwRead(PCI_COMMAND, 2) & PCI_COMMAND_MEMORY)) {
    noteCommand(run, 'hardware COMMAND.MEMORY is 0: the device does not decode the access');
    return false;
  }
  return true;
}

const deviceOutcome = (responds: boolean): AccessOutcome => (responds ? 'ok' : 'unclaimed');

/** __vfio_pci_memory_enabled: false blocks the access; kernels without it never block. */
function memoryEnabled(run: Run): boolean {
  const result = run.decideCommand('memory-enabled', { cmd: run.vRead(PCI_COMMAND, 2) });
  if (result === null) {
    noteCommand(run, 'no memory-enabled test in this kernel: the access is never blocked');
    return true;
  }
  return !!result;
}

type StepHandler = (run: Run) => void;

function memoryAccess(blocked: AccessOutcome): StepHandler {
  return (run) => {
    run.command.outcome = memoryEnabled(run) ? deviceOutcome(memoryResponds(run)) : blocked;
  };
}

/** The Command-register steps: accesses of the basic header's COMMAND and of the BARs it gates. */
const COMMAND_STEP_HANDLERS: Record<Exclude<StepAction, keyof typeof CONFIG_STEP_HANDLERS>, StepHandler> = {
  open(run) {
    const policy = run.policy;
    openConfigSpace(run);
    const hw = run.hwRead(PCI_COMMAND, 2);
    noteCommand(
      run,
      `pci_enable_device: hardware COMMAND ${decodeCommand(hw)} (${describeHardware(run.ctx.kind)})`,
    );
    if (!policy.decisions['init-force-memory'])
      noteCommand(run, 'no forced MEMORY at init in this kernel: vconfig copies the hardware bit');
    run.state.mapped = !policy.traits.mmapFaulting;
    if (run.state.mapped)
      noteCommand(run, 'BAR mmaps are set up at mmap() time (no fault handler in this kernel)');
  },
  'write-cmd'(run) {
    const value = run.step.value ?? 0;
    configRw(run, PCI_COMMAND, value > 0xffff ? 4 : 2, value);
  },
  'write-cmd-byte'(run) {
    const at = run.step.offset ?? PCI_COMMAND;
    if (at === PCI_COMMAND + 1)
      noteCommand(run, 'a 1-byte write at 0x05 is not a COMMAND write for MEMORY/IO tracking');
    configRw(run, at, 1, run.step.value ?? 0);
  },
  'read-cmd'(run) {
    run.command.outcome = 'ok';
    run.command.read = configRw(run, PCI_COMMAND, 2);
  },
  'mmio-read': memoryAccess('EIO'),
  'mmio-write': memoryAccess('EIO'),
  'mmap-touch'(run) {
    const faulting = run.policy.traits.mmapFaulting;
    if (!faulting || run.state.mapped) {
      if (run.state.mapped && faulting) noteCommand(run, 'already mapped: no fault, no test');
      run.command.outcome = deviceOutcome(memoryResponds(run));
      return;
    }
    if (!memoryEnabled(run)) {
      run.command.outcome = 'SIGBUS';
      return;
    }
    run.state.mapped = true;
    run.command.outcome = deviceOutcome(memoryResponds(run));
  },
  'ioeventfd-write'(run) {
    if (run.policy.traits.ioeventfdGated) {
      memoryAccess('dropped')(run);
      return;
    }
    noteCommand(run, 'ioeventfd writes are not tested against memory-enabled in this kernel');
    run.command.outcome = deviceOutcome(memoryResponds(run));
  },
  'ioport-read'(run) {
    const hw = run.ctx.kind.hardware;
    if (!hw.ioBar) {
      noteCommand(run, 'the device has no I/O-port BAR: the region is empty and the read fails (-EINVAL)');
      run.command.outcome = 'EIO';
      return;
    }
    noteCommand(run, 'I/O-port BARs are never gated by vfio');
    let responds = run.hwPower() === PCI_D0 && !run.barsNeedRestore();
    if (!(run.hwRead(PCI_COMMAND, 2) & PCI_COMMAND_IO)) {
      noteCommand(run, 'hardware COMMAND.IO is 0: the device does not decode the access');
      responds = false;
    }
    run.command.outcome = deviceOutcome(responds);
  },
  'backdoor-reset'(run) {
    const bars = run.ctx.kind.hardware.bars;
    run.hwReset(bars !== 'header');
    run.state.power = PCI_D0;
    if (bars !== 'header') noteCommand(run, `BARs ${bars}: not lost by the reset`);
  },
  d3hot: (run) => setPower(run, PCI_D3HOT),
  d0: (run) => setPower(run, PCI_D0),
};

export const STEP_HANDLERS: Record<StepAction, StepHandler> = {
  ...COMMAND_STEP_HANDLERS,
  ...CONFIG_STEP_HANDLERS,
};

const isDecisionPoint = (d: string) => (DECISION_POINTS as readonly string[]).includes(d);

/**
 * What an observation carries besides what it shows, as own properties no copy, JSON or structured
 * clone sees (as a WeakMap's entries): unlike a memo they cannot be computed again, and a WeakMap's
 * table never shrinks (one of them kept 2 MB after the analysis process's idle trim).
 */
const CONFIG_DECISIONS = Symbol('config decisions');
const CONSULTED = Symbol('decisions consulted');
type Carried = StepObservation & { [CONFIG_DECISIONS]?: Explanation[]; [CONSULTED]?: readonly string[] };

function carry<K extends typeof CONFIG_DECISIONS | typeof CONSULTED>(
  o: StepObservation,
  key: K,
  value: Carried[K],
): void {
  Object.defineProperty(o, key, { value, enumerable: false, writable: false, configurable: false });
}

/** Every decision a step took: its `why`, and for a Command-register step the config-space ones too (open's vfio_config_init). */
export function allDecisionsOf(o: StepObservation): readonly Explanation[] {
  return [...o.why, ...((o as Carried)[CONFIG_DECISIONS] ?? [])];
}

/** Every decision a step asked for, whether the kernel has it or not (what a step's result depends on). */
export function decisionsConsulted(o: StepObservation): readonly string[] {
  return (o as Carried)[CONSULTED] ?? [];
}

/** The observation of a finished step: the Command-register part, and the config part of a config step. */
function observation(run: Run, step: Step, assumed: Set<string>): StepObservation {
  const virt = run.layout ? run.vRead(PCI_COMMAND, 2) & VIRTUAL_COMMAND_BITS : 0;
  const hw = run.hwRead(PCI_COMMAND, 2);
  const dependsOn = assumed.size ? [...assumed].sort() : undefined;
  if (stepPart(step.action) === 'config') {
    if (dependsOn) run.obs.dependsOn = dependsOn;
    const e: StepObservation = {
      action: step.text,
      zap: run.zapped,
      virt,
      hw,
      why: run.why,
      config: run.obs,
    };
    if (dependsOn) e.dependsOn = dependsOn;
    return e;
  }
  const c = run.command;
  const e: StepObservation = { action: step.text, zap: run.zapped, virt: 0, hw: 0, why: [] };
  if (c.outcome !== undefined) e.outcome = c.outcome;
  if (c.read !== undefined) e.read = c.read;
  if (c.restore !== undefined) e.restore = c.restore;
  if (c.log !== undefined) e.log = c.log;
  e.virt = virt;
  e.hw = hw;
  e.why = run.why.filter((w) => isDecisionPoint(w.decision));
  const others = run.why.filter((w) => !isDecisionPoint(w.decision));
  if (others.length) carry(e, CONFIG_DECISIONS, others);
  if (dependsOn) e.dependsOn = dependsOn;
  const notes = [...c.notes, ...run.obs.notes];
  if (notes.length) e.notes = notes;
  return e;
}

const layoutKeys = new WeakMap<Layout, string>();

/**
 * A layout's content as text: what later steps read of it (the byte map, vconfig, the permissions,
 * the saved BARs), not its explanations and notes, which only open's own observation shows.
 */
function layoutKey(l: Layout): string {
  let key = layoutKeys.get(l);
  if (key === undefined) {
    const text = (bytes: Uint8Array | null) => (bytes ? bytes.join(',') : null);
    const perms = (m: Layout['stdPerms']) =>
      [...m].map(([at, p]) => [at, p.name, p.readfn, p.writefn, text(p.virt), text(p.write), p.rows]);
    key = JSON.stringify([
      text(l.map),
      text(l.vconfig),
      perms(l.stdPerms),
      perms(l.extPerms),
      l.rbar,
      l.extendedCaps,
    ]);
    layoutKeys.set(l, key);
  }
  return key;
}

/**
 * Short ids of the layout contents last met, for the states' keys: two opens that lay the config
 * space out alike (under other assumptions, or another policy whose init decisions read alike) give
 * states of one key, so a patched policy's system finds its base's steps after them
 * (PolicySystem.reusing). An id is never given to two contents; a content forgotten gets a new one.
 */
const layoutIds = new BoundedCache<string, string>(128);
let layoutsMet = 0;

function layoutId(l: Layout): string {
  const content = layoutKey(l);
  let id = layoutIds.get(content);
  if (id === undefined) layoutIds.set(content, (id = `L${(layoutsMet++).toString(36)}`));
  return id;
}

/**
 * Runs one step. Returns one result, or one per value of each unknown identifier the step's
 * decisions needed (assumed 0 first, then 1).
 */
export function applyStep(
  ctx: Context,
  state: DeviceState,
  step: Step,
  assumptions: Assumptions,
): StepResult[] {
  const assumed = new Set<string>();
  const run = new Run(ctx, state, step, assumptions, assumed);
  try {
    STEP_HANDLERS[step.action](run);
  } catch (e) {
    if (!(e instanceof NeedsAssumption)) throw e;
    return [0, 1].flatMap((v) => applyStep(ctx, state, step, { ...assumptions, [e.name]: v }));
  }
  if (step.action === 'open' && run.layout) {
    const id = layoutId(run.layout);
    if (!ctx.layouts.has(id)) ctx.layouts.set(id, run.layout);
    run.state.layout = id;
  }
  const entry = observation(run, step, assumed);
  carry(entry, CONSULTED, [...run.consulted]);
  return [{ state: run.finish(), assumptions, entry }];
}
