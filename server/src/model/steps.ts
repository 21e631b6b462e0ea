/**
 * Step scripts of the one vfio-pci model: "open; write-cmd 0x0002; read-cmd; mmio-read",
 * "open; cfg-read PCI_EXP_DEVCTL 2; set-power D3hot". The syntax of every action is a row of
 * STEP_SYNTAX (the actions are its keys; `observes` says which part of the observation the step
 * makes: the Command register's access outcomes or the config space's); a bad step is a
 * StepScriptError naming it and its position. splitScript is the one place a script is cut into
 * steps. A config offset is a number or a register name, resolved against the device kind when
 * the step runs (vfio/config/steps.ts), so one step text means the same on every kind.
 */
import { PCI_COMMAND } from './pci';
import { checkRegisterToken } from './vfio/config/steps';

export interface Step {
  action: StepAction;
  /** The value written (write-cmd: 16 bits, or 32 for a COMMAND+STATUS dword; write-cmd-byte: 8 bits; cfg-write). */
  value?: number;
  /** write-cmd-byte: 0x04 (low byte) or 0x05 (high byte); cfg-read/cfg-write: an offset given as a number. */
  offset?: number;
  /** cfg-read/cfg-write: an offset given as a register name ("PCI_EXP_DEVCTL", "PCI_PM_CTRL+1"). */
  register?: string;
  /** cfg-read/cfg-write: bytes accessed (1..4). */
  width?: number;
  /** set-power: 0 (D0) or 3 (D3hot); pci_enable_ats: the page shift. */
  arg?: number;
  /** The step normalised ("write-cmd 0x0002", "cfg-write PCI_EXP_DEVCTL 2 0x5930"). */
  text: string;
}

export class StepScriptError extends Error {
  constructor(
    message: string,
    /** 1-based position of the bad step in the script. */
    readonly position: number,
    /** 0-based character offset of the bad step in the script text. */
    readonly column: number,
  ) {
    super(message);
  }
}

/** A number in a range (or one of a few values). */
interface NumberArg {
  name: string;
  min: number;
  max: number;
  /** The only values allowed, if restricted. */
  allowed?: number[];
  into: 'value' | 'offset' | 'width' | 'arg';
}
/** A config offset: a number (into `offset`) or a register name (into `register`). */
interface OffsetArg {
  name: 'OFFSET';
  register: true;
}
/** One of a few words, each standing for a number (into `arg`). */
interface ChoiceArg {
  name: string;
  choices: Readonly<Record<string, number>>;
}
type ArgSpec = NumberArg | OffsetArg | ChoiceArg;

/** What a step observes: the Command register's access outcomes, or the config space. */
export type StepPart = 'command' | 'config';

interface StepRow {
  args: ArgSpec[];
  summary: string;
  observes: StepPart;
}

const CFG_OFFSET: OffsetArg = { name: 'OFFSET', register: true };
const CFG_WIDTH: NumberArg = { name: 'WIDTH', min: 1, max: 4, into: 'width' };
const none = (summary: string, observes: StepPart = 'command'): StepRow => ({ args: [], summary, observes });

export const STEP_SYNTAX = {
  open: none('open the device (vfio_pci_enable, vfio_config_init)'),
  'write-cmd': {
    args: [{ name: 'VALUE', min: 0, max: 0xffffffff, into: 'value' }],
    summary: 'write COMMAND at 0x04 (2 bytes; a value above 0xffff is a 4-byte COMMAND+STATUS write)',
    observes: 'command',
  },
  'write-cmd-byte': {
    args: [
      { name: 'OFFSET', min: 4, max: 5, allowed: [PCI_COMMAND, PCI_COMMAND + 1], into: 'offset' },
      { name: 'VALUE', min: 0, max: 0xff, into: 'value' },
    ],
    summary: 'write one byte of COMMAND: 0x04 (IO, MEMORY, ...) or 0x05 (INTX_DISABLE, ...)',
    observes: 'command',
  },
  'read-cmd': none('read COMMAND through vfio'),
  'mmio-read': none('read() a memory BAR through the device fd'),
  'mmio-write': none('write() a memory BAR through the device fd'),
  'mmap-touch': none('touch a memory BAR through its mmap'),
  'ioeventfd-write': none('trigger an ioeventfd bound to a memory BAR'),
  'ioport-read': none('read an I/O-port BAR through the device fd'),
  'backdoor-reset': none('the device resets without vfio knowing (BARs and COMMAND lost)'),
  d3hot: none('put the device in D3hot through PM_CTRL'),
  d0: none('bring the device back to D0 (No_Soft_Reset: state kept)'),
  'cfg-read': {
    args: [CFG_OFFSET, CFG_WIDTH],
    summary:
      "read WIDTH bytes of config space through vfio at OFFSET: a number, or a register name relative to the device's capability (PCI_EXP_DEVCTL, PCI_PM_CTRL+1)",
    observes: 'config',
  },
  'cfg-write': {
    args: [CFG_OFFSET, CFG_WIDTH, { name: 'VALUE', min: 0, max: 0xffffffff, into: 'value' }],
    summary: 'write VALUE (WIDTH bytes) to config space through vfio at OFFSET (a number or a register name)',
    observes: 'config',
  },
  'cfg-walk': none('walk the capability chains as a user does (from 0x34, and from 0x100)', 'config'),
  flr: none('VFIO_DEVICE_RESET: a function reset by vfio (pci_try_reset_function)', 'config'),
  'set-power': {
    args: [{ name: 'STATE', choices: { D0: 0, D3hot: 3 } }],
    summary: "write PM_CTRL's PowerState through vfio (D0 or D3hot)",
    observes: 'config',
  },
  'enable-msi': none('VFIO_DEVICE_SET_IRQS for MSI: the kernel enables MSI on the device', 'config'),
  pci_enable_pasid: none(
    "PCI core pci_enable_pasid on the function (a VF shares the PF's from v5.5)",
    'config',
  ),
  pci_enable_pri: none("PCI core pci_enable_pri on the function (a VF shares the PF's from v5.5)", 'config'),
  pci_enable_ats: {
    args: [{ name: 'PAGE_SHIFT', min: 0, max: 63, into: 'arg' }],
    summary: "PCI core pci_enable_ats with a page shift (12: 4 KiB); a VF must match the PF's STU",
    observes: 'config',
  },
} satisfies Record<string, StepRow>;

export type StepAction = keyof typeof STEP_SYNTAX;

export const STEP_ACTIONS = Object.keys(STEP_SYNTAX) as readonly StepAction[];

/** The part of the observation a step makes (its row's `observes`). */
export function stepPart(action: StepAction): StepPart {
  return STEP_SYNTAX[action].observes;
}

function hex(value: number, digits: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(digits, '0');
}

/** The normalised text of a step. */
export function stepText(step: Omit<Step, 'text'>): string {
  const at = () => step.register ?? hex(step.offset ?? 0, 1);
  switch (step.action) {
    case 'write-cmd':
      return `write-cmd ${hex(step.value ?? 0, (step.value ?? 0) > 0xffff ? 8 : 4)}`;
    case 'write-cmd-byte':
      return `write-cmd-byte ${hex(step.offset ?? PCI_COMMAND, 2)} ${hex(step.value ?? 0, 2)}`;
    case 'cfg-read':
      return `cfg-read ${at()} ${step.width}`;
    case 'cfg-write':
      return `cfg-write ${at()} ${step.width} ${hex(step.value ?? 0, 2 * (step.width ?? 1))}`;
    case 'set-power':
      return `set-power ${step.arg === 3 ? 'D3hot' : 'D0'}`;
    case 'pci_enable_ats':
      return `pci_enable_ats ${step.arg}`;
    default:
      return step.action;
  }
}

function parseNumber(token: string): number | undefined {
  if (/^0x[0-9a-f]{1,8}$/i.test(token)) return parseInt(token.slice(2), 16);
  if (/^[0-9]{1,10}$/.test(token)) return parseInt(token, 10);
  return undefined;
}

const usageOf = (action: StepAction) =>
  [action, ...(STEP_SYNTAX[action] as StepRow).args.map((a) => a.name)].join(' ');

/** Parses one step ("write-cmd 0x0002", "cfg-read PCI_INTERRUPT_PIN 1"); position/column are for the error message. */
export function parseStep(source: string, position = 1, column = 0): Step {
  const tokens = source.trim().split(/\s+/);
  const where = `step ${position} "${source.trim()}"`;
  const action = tokens[0] as StepAction;
  if (!(STEP_ACTIONS as readonly string[]).includes(action)) {
    throw new StepScriptError(
      `${where}: unknown action "${tokens[0]}"; known actions: ${STEP_ACTIONS.join(', ')}`,
      position,
      column,
    );
  }
  const syntax: StepRow = STEP_SYNTAX[action];
  const args = tokens.slice(1);
  if (args.length !== syntax.args.length) {
    throw new StepScriptError(
      `${where}: expected ${syntax.args.length} argument(s) (${usageOf(action)}), got ${args.length}`,
      position,
      column,
    );
  }
  const step: Omit<Step, 'text'> = { action };
  const fail = (message: string) => new StepScriptError(`${where}: ${message}`, position, column);
  syntax.args.forEach((spec, i) => {
    const token = args[i];
    if ('register' in spec) {
      const n = parseNumber(token);
      if (n !== undefined) {
        if (n > 0xfff) throw fail(`OFFSET must be 0x0..0xfff (got "${token}")`);
        step.offset = n;
        return;
      }
      const problem = checkRegisterToken(token);
      if (problem) throw fail(problem);
      step.register = token;
      return;
    }
    if ('choices' in spec) {
      if (!(token in spec.choices))
        throw fail(`${spec.name} must be ${Object.keys(spec.choices).join(' or ')} (got "${token}")`);
      step.arg = spec.choices[token];
      return;
    }
    const n = parseNumber(token);
    const ok =
      n !== undefined && n >= spec.min && n <= spec.max && (!spec.allowed || spec.allowed.includes(n));
    if (!ok) {
      const range = spec.allowed
        ? spec.allowed.map((v) => hex(v, 2)).join(' or ')
        : `${hex(spec.min, 1)}..${hex(spec.max, 1)}`;
      throw fail(`${spec.name} must be ${range} (got "${token}")`);
    }
    step[spec.into] = n;
  });
  if (step.action === 'cfg-write' && step.width! < 4 && step.value! >= 2 ** (8 * step.width!))
    throw fail(`VALUE must fit in ${step.width} byte(s) (got "${args[2]}")`);
  return { ...step, text: stepText(step) };
}

/** The steps of a script, separated by ";" or new lines: each one's text and where it starts. */
export function splitScript(script: string): { text: string; column: number }[] {
  const out: { text: string; column: number }[] = [];
  const re = /[^;\n]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(script))) {
    const text = m[0].trim();
    if (text) out.push({ text, column: m.index + (m[0].length - m[0].trimStart().length) });
  }
  return out;
}

/**
 * Splits a script (splitScript) and parses each step with `parseOne` (its 1-based position and
 * 0-based column); an empty script is an error giving `example`. Shared by every model's steps.
 */
/** The most steps a script may have: a simulation's trace is a few hundred bytes a step. */
export const MAX_SCRIPT_STEPS = 10_000;

export function parseScript<S>(
  script: string,
  parseOne: (source: string, position: number, column: number) => S,
  example: string,
): S[] {
  const parts = splitScript(script);
  if (parts.length > MAX_SCRIPT_STEPS)
    throw new StepScriptError(
      `the step script has ${parts.length} steps, over the limit of ${MAX_SCRIPT_STEPS} steps a script; ` +
        'split it into shorter scripts',
      MAX_SCRIPT_STEPS + 1,
      parts[MAX_SCRIPT_STEPS].column,
    );
  const steps = parts.map((s, i) => parseOne(s.text, i + 1, s.column));
  if (steps.length === 0) throw new StepScriptError(`the step script is empty; e.g. "${example}"`, 0, 0);
  return steps;
}

/** Parses a script of steps separated by ";" or new lines. */
export function parseSteps(script: string): Step[] {
  return parseScript(script, parseStep, 'open; write-cmd 0x0002; read-cmd; mmio-read');
}

/**
 * The finite step alphabet comparisons explore. COMMAND values: 0x0000 (clear), 0x0001 (IO only:
 * Alex's setpci case), 0x0002 (MEMORY), 0x0003 (IO|MEMORY), 0x0006 (MEMORY|MASTER, what a guest
 * driver writes). Left out: mmio-write (gated and answered exactly like mmio-read) and
 * write-cmd-byte (its low byte acts as a COMMAND write of that byte; the high byte holds only
 * INTX_DISABLE, handled alike by every variant).
 */
export const EXPLORATION_ALPHABET: readonly Step[] = [
  'open',
  'write-cmd 0x0000',
  'write-cmd 0x0001',
  'write-cmd 0x0002',
  'write-cmd 0x0003',
  'write-cmd 0x0006',
  'read-cmd',
  'mmio-read',
  'mmap-touch',
  'ioeventfd-write',
  'ioport-read',
  'backdoor-reset',
  'd3hot',
  'd0',
].map((s) => parseStep(s));
