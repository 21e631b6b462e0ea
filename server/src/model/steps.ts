/**
 * Step scripts: "open; write-cmd 0x0002; read-cmd; mmio-read". The syntax of every action is a
 * row of STEP_SYNTAX (the actions are its keys); a bad step is a StepScriptError naming it and its
 * position. splitScript is the one place a script is cut into steps.
 */
import { PCI_COMMAND } from './pci';

export interface Step {
  action: StepAction;
  /** The value written (write-cmd: 16 bits, or 32 for a COMMAND+STATUS dword; write-cmd-byte: 8 bits). */
  value?: number;
  /** write-cmd-byte: the config offset, 0x04 (low byte) or 0x05 (high byte). */
  offset?: number;
  /** The step normalised ("write-cmd 0x0002"). */
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

interface ArgSpec {
  name: string;
  min: number;
  max: number;
  /** The only values allowed, if restricted. */
  allowed?: number[];
}

export const STEP_SYNTAX = {
  open: { args: [], summary: 'open the device (vfio_pci_enable, vfio_config_init)' },
  'write-cmd': {
    args: [{ name: 'VALUE', min: 0, max: 0xffffffff }],
    summary: 'write COMMAND at 0x04 (2 bytes; a value above 0xffff is a 4-byte COMMAND+STATUS write)',
  },
  'write-cmd-byte': {
    args: [
      { name: 'OFFSET', min: 4, max: 5, allowed: [PCI_COMMAND, PCI_COMMAND + 1] },
      { name: 'VALUE', min: 0, max: 0xff },
    ],
    summary: 'write one byte of COMMAND: 0x04 (IO, MEMORY, ...) or 0x05 (INTX_DISABLE, ...)',
  },
  'read-cmd': { args: [], summary: 'read COMMAND through vfio' },
  'mmio-read': { args: [], summary: 'read() a memory BAR through the device fd' },
  'mmio-write': { args: [], summary: 'write() a memory BAR through the device fd' },
  'mmap-touch': { args: [], summary: 'touch a memory BAR through its mmap' },
  'ioeventfd-write': { args: [], summary: 'trigger an ioeventfd bound to a memory BAR' },
  'ioport-read': { args: [], summary: 'read an I/O-port BAR through the device fd' },
  'backdoor-reset': { args: [], summary: 'the device resets without vfio knowing (BARs and COMMAND lost)' },
  d3hot: { args: [], summary: 'put the device in D3hot through PM_CTRL' },
  d0: { args: [], summary: 'bring the device back to D0 (No_Soft_Reset: state kept)' },
} satisfies Record<string, { args: ArgSpec[]; summary: string }>;

export type StepAction = keyof typeof STEP_SYNTAX;

export const STEP_ACTIONS = Object.keys(STEP_SYNTAX) as readonly StepAction[];

function hex(value: number, digits: number): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

/** The normalised text of a step. */
export function stepText(step: Omit<Step, 'text'>): string {
  switch (step.action) {
    case 'write-cmd':
      return `write-cmd ${hex(step.value ?? 0, (step.value ?? 0) > 0xffff ? 8 : 4)}`;
    case 'write-cmd-byte':
      return `write-cmd-byte ${hex(step.offset ?? PCI_COMMAND, 2)} ${hex(step.value ?? 0, 2)}`;
    default:
      return step.action;
  }
}

function parseNumber(token: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(token)) return parseInt(token.slice(2), 16);
  if (/^[0-9]+$/.test(token)) return parseInt(token, 10);
  return undefined;
}

/** Parses one step ("write-cmd 0x0002"); position/column are for the error message. */
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
  const syntax: { args: ArgSpec[] } = STEP_SYNTAX[action];
  const args = tokens.slice(1);
  if (args.length !== syntax.args.length) {
    const usage = [action, ...syntax.args.map((a) => a.name)].join(' ');
    throw new StepScriptError(
      `${where}: expected ${syntax.args.length} argument(s) (${usage}), got ${args.length}`,
      position,
      column,
    );
  }
  const values = args.map((token, i) => {
    const spec = syntax.args[i];
    const n = parseNumber(token);
    const ok =
      n !== undefined && n >= spec.min && n <= spec.max && (!spec.allowed || spec.allowed.includes(n));
    if (!ok) {
      const range = spec.allowed
        ? spec.allowed.map((v) => hex(v, 2)).join(' or ')
        : `${hex(spec.min, 1)}..${hex(spec.max, 1)}`;
      throw new StepScriptError(`${where}: ${spec.name} must be ${range} (got "${token}")`, position, column);
    }
    return n as number;
  });
  const step: Omit<Step, 'text'> =
    action === 'write-cmd-byte'
      ? { action, offset: values[0], value: values[1] }
      : action === 'write-cmd'
        ? { action, value: values[0] }
        : { action };
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
