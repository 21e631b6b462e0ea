/**
 * zPCI step scripts: "plug; enable; pcistb 0 0 4096". The syntax of every action is a row of
 * ZPCI_STEP_SYNTAX (optional arguments last); a bad step is a StepScriptError naming the step,
 * its position and what was expected. ZPCI_EXPLORATION_ALPHABET is what comparisons explore.
 */
import { StepScriptError, parseScript } from '../steps';
import type { ZpciStep, ZpciStepAction } from './types';
import { ZPCI_STEP_ACTIONS } from './types';

interface ArgSpec {
  name: string;
  min: number;
  max: number;
  optional?: boolean;
}

const AS: ArgSpec = { name: 'AS', min: 0, max: 15 };
const OFFSET: ArgSpec = { name: 'OFFSET', min: 0, max: 0xffffffff };

export const ZPCI_STEP_SYNTAX: Record<ZpciStepAction, { args: ArgSpec[]; summary: string }> = {
  plug: { args: [], summary: 'hot-plug the function; the guest configures it (s390_pcihost_plug)' },
  enable: { args: [], summary: 'CLP SET PCI FUNCTION enable: the fh gets its enable bit' },
  disable: { args: [], summary: 'CLP SET PCI FUNCTION disable' },
  pcilg: {
    args: [AS, OFFSET, { name: 'LEN', min: 0, max: 15 }, { name: 'R2', min: 0, max: 15, optional: true }],
    summary: 'PCI LOAD of LEN bytes at OFFSET in address space AS (0-5 BARs, 15 config); R2 defaults to 2',
  },
  pcistg: {
    args: [AS, OFFSET, { name: 'LEN', min: 0, max: 15 }, { name: 'R2', min: 0, max: 15, optional: true }],
    summary: 'PCI STORE of LEN bytes at OFFSET in address space AS; R2 defaults to 2',
  },
  pcistb: {
    args: [
      AS,
      OFFSET,
      { name: 'LEN', min: 0, max: 0x1fff },
      { name: 'GADDR', min: 0, max: 0xffffffff, optional: true },
    ],
    summary: 'PCI STORE BLOCK of LEN bytes (13-bit field) from guest address GADDR (default 0) to OFFSET',
  },
  error: { args: [], summary: 'the function enters the error state (as a failed RPCIT leaves it)' },
  reset: { args: [], summary: 'QEMU resets the function (system reset: s390_pci_device_reset)' },
  'problem-state': { args: [], summary: 'the guest continues in problem state (PSW bit 15 on)' },
  'supervisor-state': { args: [], summary: 'the guest continues in supervisor state' },
};

/** Offsets and addresses below 16 print in decimal, others in hex ("pcistb 0 0xfc0 128"). */
function num(n: number): string {
  return n < 16 ? String(n) : '0x' + n.toString(16);
}

export function zpciStepText(step: Omit<ZpciStep, 'text'>): string {
  switch (step.action) {
    case 'pcilg':
    case 'pcistg': {
      const base = `${step.action} ${step.as} ${num(step.offset ?? 0)} ${step.len}`;
      return step.r2 === undefined || step.r2 === 2 ? base : `${base} ${step.r2}`;
    }
    case 'pcistb': {
      const base = `pcistb ${step.as} ${num(step.offset ?? 0)} ${step.len}`;
      return step.gaddr ? `${base} ${num(step.gaddr)}` : base;
    }
    default:
      return step.action;
  }
}

function parseNumber(token: string): number | undefined {
  if (/^0x[0-9a-f]{1,16}$/i.test(token)) return parseInt(token.slice(2), 16);
  if (/^[0-9]{1,16}$/.test(token)) return parseInt(token, 10);
  return undefined;
}

/** Parses one step; position/column are for the error message. */
export function parseZpciStep(source: string, position = 1, column = 0): ZpciStep {
  const tokens = source.trim().split(/\s+/);
  const where = `step ${position} "${source.trim()}"`;
  const action = tokens[0] as ZpciStepAction;
  if (!(ZPCI_STEP_ACTIONS as readonly string[]).includes(action)) {
    throw new StepScriptError(
      `${where}: unknown action "${tokens[0]}"; known zPCI actions: ${ZPCI_STEP_ACTIONS.join(', ')}`,
      position,
      column,
    );
  }
  const syntax = ZPCI_STEP_SYNTAX[action];
  const args = tokens.slice(1);
  const required = syntax.args.filter((a) => !a.optional).length;
  if (args.length < required || args.length > syntax.args.length) {
    const usage = [action, ...syntax.args.map((a) => (a.optional ? `[${a.name}]` : a.name))].join(' ');
    const count = required === syntax.args.length ? `${required}` : `${required} to ${syntax.args.length}`;
    throw new StepScriptError(
      `${where}: expected ${count} argument(s) (${usage}), got ${args.length}`,
      position,
      column,
    );
  }
  const values = args.map((token, i) => {
    const spec = syntax.args[i];
    const n = parseNumber(token);
    if (n === undefined || n < spec.min || n > spec.max) {
      throw new StepScriptError(
        `${where}: ${spec.name} must be ${num(spec.min)}..0x${spec.max.toString(16)} (got "${token}")`,
        position,
        column,
      );
    }
    return n;
  });
  let step: Omit<ZpciStep, 'text'> = { action };
  if (action === 'pcilg' || action === 'pcistg') {
    step = { action, as: values[0], offset: values[1], len: values[2] };
    if (values[3] !== undefined) step.r2 = values[3];
  } else if (action === 'pcistb') {
    step = { action, as: values[0], offset: values[1], len: values[2] };
    if (values[3] !== undefined) step.gaddr = values[3];
  }
  return { ...step, text: zpciStepText(step) };
}

/** Parses a script of steps separated by ";" or new lines. */
export function parseZpciSteps(script: string): ZpciStep[] {
  return parseScript(script, parseZpciStep, 'plug; enable; pcistb 0 0 4096');
}

/** The lengths and offsets comparisons explore (issue 12): 0, 8, 16, 24, 128, 4096 at 0, 4, 8, 0xFC0. */
export const EXPLORED_LENGTHS = [0, 8, 16, 24, 128, 4096] as const;
export const EXPLORED_OFFSETS = [0, 4, 8, 0xfc0] as const;

/**
 * The step alphabet of comparisons: the lifecycle steps, PCISTB at every explored length and
 * offset (plus a misaligned guest address and an invalid address space), and PCILG/PCISTG of
 * 1/2/4/8 bytes at 0 and 4, of 0 bytes, at config space (4 bytes, and 3), at an invalid address
 * space and with an odd R2. Left out: problem-state (every version refuses every instruction there
 * alike: PGM_PRIVILEGED is checked first by all).
 */
export const ZPCI_EXPLORATION_ALPHABET: readonly ZpciStep[] = [
  'plug',
  'enable',
  'disable',
  'error',
  'reset',
  ...EXPLORED_OFFSETS.flatMap((o) => EXPLORED_LENGTHS.map((l) => `pcistb 0 ${o} ${l}`)),
  'pcistb 0 0 16 4',
  'pcistb 6 0 16',
  ...['pcilg', 'pcistg'].flatMap((i) => [
    `${i} 0 0 8`,
    `${i} 0 4 4`,
    `${i} 0 4 8`,
    `${i} 0 2 4`,
    `${i} 0 0 0`,
    `${i} 15 0 4`,
    `${i} 15 0 3`,
    `${i} 6 0 8`,
    `${i} 0 0 8 3`,
  ]),
].map((s) => parseZpciStep(s));
