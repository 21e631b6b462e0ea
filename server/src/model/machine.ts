/**
 * The config-space state machine of one opened device under one policy: each step is a row of
 * STEP_HANDLERS. A decision whose value depends on an identifier the model does not know forks
 * the step: applyStep returns one result per assumed value (0 and 1).
 */
import { assumptionKey } from './core/system';
import { NeedsAssumption, evaluate } from './evaluate';
import {
  PCI_COMMAND,
  PCI_COMMAND_INTX_DISABLE,
  PCI_COMMAND_IO,
  PCI_COMMAND_MEMORY,
  PCI_D0,
  PCI_D3HOT,
  decodeCommand,
} from './pci';
import type { Policy } from './policy';
import { DeviceScope } from './scope';
import type { Step } from './steps';
import type {
  AccessOutcome,
  DecisionPoint,
  DeviceKind,
  Explanation,
  OperandValue,
  RestoreObservation,
  StepAction,
  StepObservation,
} from './types';

export interface DeviceState {
  open: boolean;
  /** vconfig COMMAND bits vfio keeps: MEMORY, IO, INTX_DISABLE. */
  virt: number;
  /** The hardware COMMAND register. */
  hw: number;
  /** The BARs still hold what vfio saved at open. */
  barsValid: boolean;
  /** BAR mmaps are populated (a touch does not fault). */
  mapped: boolean;
  power: number;
}

export type Assumptions = Readonly<Record<string, number>>;

export type { StepObservation };

export interface StepResult {
  state: DeviceState;
  assumptions: Assumptions;
  entry: StepObservation;
}

export const CLOSED_STATE: DeviceState = {
  open: false,
  virt: 0,
  hw: 0,
  barsValid: true,
  mapped: false,
  power: PCI_D0,
};

export function stateKey(s: DeviceState): string {
  return `${+s.open}${s.virt.toString(16)}.${s.hw.toString(16)}${+s.barsValid}${+s.mapped}${s.power}`;
}

/** Why a step cannot run in this state (exploration skips it, a script reports it), or null. */
export function stepRefusal(state: DeviceState, step: Step): string | null {
  if (step.action === 'open') return state.open ? 'the device is already open' : null;
  return state.open ? null : 'the device is not open yet: start the script with "open"';
}

/** The COMMAND bits the device's hardware implements (INTX_DISABLE is never written by vfio). */
function implementedBits(device: DeviceKind): number {
  let bits = 0x07ff & ~PCI_COMMAND_INTX_DISABLE;
  if (device.hardware.commandMemory === 'hardwired-0') bits &= ~PCI_COMMAND_MEMORY;
  if (device.hardware.commandIo === 'hardwired-0') bits &= ~PCI_COMMAND_IO;
  return bits;
}

/** A decision evaluated once: what every later evaluation with the same inputs returns. */
interface Decided {
  result: number;
  explanation: Explanation;
  assumed: string[];
}

/**
 * Decisions already evaluated, per policy and device, by everything an evaluation reads: the
 * point, the locals, the state's view (virtual COMMAND, power state, BARs needing a restore) and
 * the assumptions. The exploration asks the same question in many states (most steps do not touch
 * what a decision reads); the answer, explanation included, is the same object each time.
 */
const decided = new WeakMap<Policy, Map<string, Map<string, Decided>>>();

function decisionsOf(policy: Policy, device: DeviceKind): Map<string, Decided> {
  let perDevice = decided.get(policy);
  if (!perDevice) decided.set(policy, (perDevice = new Map()));
  let memo = perDevice.get(device.id);
  if (!memo) perDevice.set(device.id, (memo = new Map()));
  return memo;
}

class StepRun {
  readonly state: DeviceState;
  readonly entry: StepObservation;

  constructor(
    readonly policy: Policy,
    readonly device: DeviceKind,
    before: DeviceState,
    readonly step: Step,
    readonly assumptions: Assumptions,
    private readonly assumed: Set<string>,
  ) {
    this.state = { ...before };
    this.entry = { action: step.text, zap: false, virt: 0, hw: 0, why: [] };
  }

  note(text: string): void {
    (this.entry.notes ??= []).push(text);
  }

  /** Evaluates a decision point; null when the point does not exist in this kernel. */
  decide(point: DecisionPoint, locals: Record<string, number> = {}): number | null {
    const expr = this.policy.decisions[point];
    if (!expr) return null;
    const view = {
      virt: this.state.virt,
      power: this.state.power,
      barsNeedRestore: this.device.hardware.bars === 'header' && !this.state.barsValid,
    };
    let key = `${point}|${view.virt}|${view.power}|${+view.barsNeedRestore}|${assumptionKey(this.assumptions)}`;
    for (const name in locals) key += `|${name}=${locals[name]}`;
    const memo = decisionsOf(this.policy, this.device);
    let known = memo.get(key);
    if (!known) {
      const scope = new DeviceScope(this.policy, this.device, view, this.assumptions, locals);
      const operands: OperandValue[] = [];
      try {
        const result = evaluate(expr, scope, operands);
        const explanation: Explanation = {
          decision: point,
          expression: this.policy.spec.decisions[point] ?? expr.text,
          operands,
          result,
        };
        known = { result, explanation, assumed: [...scope.assumed] };
        memo.set(key, known);
      } finally {
        // on NeedsAssumption too: the caller forks on the name, under the names assumed so far
        for (const name of scope.assumed) this.assumed.add(name);
      }
    }
    for (const name of known.assumed) this.assumed.add(name);
    this.entry.why.push(known.explanation);
    return known.result;
  }

  /** Whether the device itself answers a memory access (decode on, BARs programmed, D0). */
  memoryResponds(): boolean {
    const hw = this.device.hardware;
    if (this.state.power !== PCI_D0) {
      this.note(`device in D${this.state.power === PCI_D3HOT ? '3hot' : this.state.power}: no memory decode`);
      return false;
    }
    if (hw.bars === 'header' && !this.state.barsValid) {
      this.note('BARs lost by the reset and not restored: the access reaches an unprogrammed device');
      return false;
    }
    if (hw.memoryDecode === 'when-command-memory' && !(this.state.hw & PCI_COMMAND_MEMORY)) {
      this.note('hardware COMMAND.MEMORY is 0: the device does not decode the access');
      return false;
    }
    return true;
  }

  deviceOutcome(responds: boolean): AccessOutcome {
    return responds ? 'ok' : 'unclaimed';
  }

  /** __vfio_pci_memory_enabled: false blocks the access; kernels without it never block. */
  memoryEnabled(): boolean {
    const result = this.decide('memory-enabled', { cmd: this.state.virt });
    if (result === null) {
      this.note('no memory-enabled test in this kernel: the access is never blocked');
      return true;
    }
    return !!result;
  }

  zap(why: string): void {
    this.state.mapped = false;
    this.entry.zap = true;
    this.note(`BAR mmaps zapped: ${why}`);
  }

  /** vfio_basic_config_write and vfio_default_config_write for the bytes in mask. */
  writeCommand(value: number, mask: number, tracked: boolean): void {
    const s = this.state;
    if (tracked) {
      const locals = {
        new_mem: Number(!!(value & PCI_COMMAND_MEMORY)),
        virt_mem: Number(!!(s.virt & PCI_COMMAND_MEMORY)),
        phys_mem: Number(!!(s.hw & PCI_COMMAND_MEMORY)),
        new_io: Number(!!(value & PCI_COMMAND_IO)),
        virt_io: Number(!!(s.virt & PCI_COMMAND_IO)),
        phys_io: Number(!!(s.hw & PCI_COMMAND_IO)),
      };
      if (this.policy.traits.zapOnMemoryDisable && !locals.new_mem) this.zap('the write clears MEMORY');
      let restore: RestoreObservation = 'none';
      if (this.decide('restore-condition', locals)) {
        if (this.decide('restore-skip')) {
          restore = 'skipped';
        } else {
          restore = 'performed';
          s.barsValid = true;
          this.entry.log = this.policy.traits.restoreLog;
        }
      }
      this.entry.restore = restore;
    }
    const bits = implementedBits(this.device) & mask;
    s.hw = (s.hw & ~bits) | (value & bits);
    const intx = PCI_COMMAND_INTX_DISABLE & mask;
    s.virt = (s.virt & ~intx) | (value & intx);
    if (tracked) {
      const memIo = (PCI_COMMAND_MEMORY | PCI_COMMAND_IO) & mask;
      s.virt = (s.virt & ~memIo) | (value & memIo);
    }
  }
}

/** "MEMORY hard-wired 0, IO hard-wired 0": what the device's COMMAND can hold. */
function describeHardware(device: DeviceKind): string {
  const hw = device.hardware;
  const part = (name: string, v: string) => `${name} ${v === 'implemented' ? 'implemented' : 'hard-wired 0'}`;
  return `${part('MEMORY', hw.commandMemory)}, ${part('IO', hw.commandIo)}${hw.ioBar ? ', I/O BAR' : ''}`;
}

type StepHandler = (run: StepRun) => void;

function memoryAccess(blocked: AccessOutcome): StepHandler {
  return (run) => {
    run.entry.outcome = run.memoryEnabled() ? run.deviceOutcome(run.memoryResponds()) : blocked;
  };
}

export const STEP_HANDLERS: Record<StepAction, StepHandler> = {
  open(run) {
    const s = run.state;
    const hw = run.device.hardware;
    // pci_enable_device: MEMORY for the memory BARs, IO for an I/O BAR (hard-wired bits stay 0).
    let enable = PCI_COMMAND_MEMORY;
    if (hw.ioBar) enable |= PCI_COMMAND_IO;
    s.hw |= enable & implementedBits(run.device);
    run.note(`pci_enable_device: hardware COMMAND ${decodeCommand(s.hw)} (${describeHardware(run.device)})`);
    // vfio_config_init: vconfig copies the header; rbar[] saved; mmaps not populated yet.
    s.virt = s.hw & (PCI_COMMAND_MEMORY | PCI_COMMAND_IO | PCI_COMMAND_INTX_DISABLE);
    const force = run.decide('init-force-memory');
    if (force === null) run.note('no forced MEMORY at init in this kernel: vconfig copies the hardware bit');
    if (force) s.virt |= PCI_COMMAND_MEMORY;
    s.open = true;
    s.barsValid = true;
    s.power = PCI_D0;
    s.mapped = !run.policy.traits.mmapFaulting;
    if (s.mapped) run.note('BAR mmaps are set up at mmap() time (no fault handler in this kernel)');
  },
  'write-cmd'(run) {
    run.writeCommand(run.step.value ?? 0, 0xffff, true);
  },
  'write-cmd-byte'(run) {
    const high = run.step.offset === PCI_COMMAND + 1;
    const value = (run.step.value ?? 0) << (high ? 8 : 0);
    if (high) run.note('a 1-byte write at 0x05 is not a COMMAND write for MEMORY/IO tracking');
    run.writeCommand(value, high ? 0xff00 : 0x00ff, !high);
  },
  'read-cmd'(run) {
    const s = run.state;
    const orIn = run.decide('read-or-in', { offset: PCI_COMMAND });
    let value = (s.hw & ~PCI_COMMAND_INTX_DISABLE) | (s.virt & PCI_COMMAND_INTX_DISABLE);
    if (orIn) value |= s.virt & PCI_COMMAND_MEMORY;
    run.entry.outcome = 'ok';
    run.entry.read = value;
  },
  'mmio-read': memoryAccess('EIO'),
  'mmio-write': memoryAccess('EIO'),
  'mmap-touch'(run) {
    if (!run.policy.traits.mmapFaulting || run.state.mapped) {
      if (run.state.mapped && run.policy.traits.mmapFaulting) run.note('already mapped: no fault, no test');
      run.entry.outcome = run.deviceOutcome(run.memoryResponds());
      return;
    }
    if (!run.memoryEnabled()) {
      run.entry.outcome = 'SIGBUS';
      return;
    }
    run.state.mapped = true;
    run.entry.outcome = run.deviceOutcome(run.memoryResponds());
  },
  'ioeventfd-write'(run) {
    if (run.policy.traits.ioeventfdGated) {
      memoryAccess('dropped')(run);
      return;
    }
    run.note('ioeventfd writes are not tested against memory-enabled in this kernel');
    run.entry.outcome = run.deviceOutcome(run.memoryResponds());
  },
  'ioport-read'(run) {
    const hw = run.device.hardware;
    if (!hw.ioBar) {
      run.note('the device has no I/O-port BAR: the region is empty and the read fails (-EINVAL)');
      run.entry.outcome = 'EIO';
      return;
    }
    run.note('I/O-port BARs are never gated by vfio');
    let responds = run.state.power === PCI_D0 && run.state.barsValid;
    if (!(run.state.hw & PCI_COMMAND_IO)) {
      run.note('hardware COMMAND.IO is 0: the device does not decode the access');
      responds = false;
    }
    run.entry.outcome = run.deviceOutcome(responds);
  },
  'backdoor-reset'(run) {
    const s = run.state;
    s.hw = 0;
    s.power = PCI_D0;
    if (run.device.hardware.bars === 'header') s.barsValid = false;
    else run.note(`BARs ${run.device.hardware.bars}: not lost by the reset`);
  },
  d3hot(run) {
    if (run.policy.traits.zapOnD3hot) run.zap('entering D3hot');
    run.state.power = PCI_D3HOT;
  },
  d0(run) {
    run.state.power = PCI_D0;
  },
};

/**
 * Runs one step. Returns one result, or one per value of each unknown identifier the step's
 * decisions needed (assumed 0 first, then 1).
 */
export function applyStep(
  policy: Policy,
  device: DeviceKind,
  state: DeviceState,
  step: Step,
  assumptions: Assumptions,
): StepResult[] {
  const assumed = new Set<string>();
  const run = new StepRun(policy, device, state, step, assumptions, assumed);
  try {
    STEP_HANDLERS[step.action](run);
  } catch (e) {
    if (!(e instanceof NeedsAssumption)) throw e;
    return [0, 1].flatMap((v) => applyStep(policy, device, state, step, { ...assumptions, [e.name]: v }));
  }
  run.entry.virt = run.state.virt;
  run.entry.hw = run.state.hw;
  if (assumed.size) run.entry.dependsOn = [...assumed].sort();
  return [{ state: run.state, assumptions, entry: run.entry }];
}
