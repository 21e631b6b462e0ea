/**
 * Typed observations of the vfio-pci model, and the one formatter that turns them into text:
 * what a reviewer sees of a step ("mmio-read: EIO"), a matrix cell's reading of it ("mmio-read
 * EIO"), the simulator's line and table cells, and a decision with the value of each operand
 * (`pdev->no_command_memory (1) || (cmd & PCI_COMMAND_MEMORY) (0)`). Nothing outside the model
 * builds step text, and nothing parses it back: the typed fields travel with the text.
 */
import { NeedsAssumption, evaluate, type EvalScope } from './evaluate';
import { decodeCommand, hex4, PCI_COMMAND_MEMORY } from './pci';
import type {
  AccessOutcome,
  Explanation,
  ExplainedDecision,
  Expr,
  OperandValue,
  RestoreObservation,
  StepDisplay,
  StepObservation,
} from './types';
import {
  configHintParts,
  configObserved,
  configObservedText,
  type ConfigObserved,
} from './vfio/config/format';

export { configHintParts };

/** What a reviewer sees of one step, typed; `text` is the formatter's reading of it. */
export interface Observation {
  /** The step as written, normalised ("write-cmd 0x0002"). */
  step: string;
  /** The access's outcome; null for a step that is no access (open, a COMMAND write, d3hot, a config step). */
  outcome: AccessOutcome | null;
  read?: number;
  restore?: RestoreObservation;
  /** The step zapped the BAR mmaps. */
  zap?: true;
  /** A config-space step: the value read, what reached the hardware, what was dropped, effects, chain. */
  config?: ConfigObserved;
  /** "mmio-read: EIO", "read-cmd: reads 0x0002", "cfg-read PCI_INTERRUPT_PIN 1: read 0x0". */
  text: string;
}

/** The one wording of each BAR-restore observation, wherever a step is shown. */
export const RESTORE_WORDS: Readonly<Record<RestoreObservation, string>> = {
  none: '',
  skipped: 'restore called, returns early',
  performed: 'BARs restored + log',
};

/**
 * What the words in a step's observation mean, for a legend beside any view of them (the
 * simulator's tables and the matrix): each outcome, each restore wording, the zap, and the two
 * COMMAND columns.
 */
export const OBSERVATION_TERMS: readonly { term: string; meaning: string }[] = [
  { term: 'ok', meaning: 'the access reaches the device and the device answers it' },
  {
    term: 'EIO',
    meaning: 'vfio-pci refuses the read() or write() on the BAR (memory counted as disabled): -EIO',
  },
  {
    term: 'SIGBUS',
    meaning: 'a touch of the BAR mmap faults and vfio-pci refuses to map it (memory counted as disabled)',
  },
  { term: 'dropped', meaning: 'vfio-pci does not deliver the ioeventfd write (memory counted as disabled)' },
  {
    term: 'unclaimed',
    meaning:
      'vfio-pci lets the access through but the device does not decode it (hardware MEMORY or IO off, BARs lost, or D3hot): reads return all ones, writes are lost',
  },
  {
    term: RESTORE_WORDS.performed,
    meaning: 'vfio_bar_restore() rewrote the BARs and logged a reset recovery',
  },
  { term: RESTORE_WORDS.skipped, meaning: 'vfio_bar_restore() was called and returned at its first test' },
  { term: 'mmaps zapped', meaning: "the user's BAR mmaps were torn down (the next touch faults)" },
  { term: 'virtual COMMAND', meaning: 'the COMMAND value vfio-pci keeps for the user (vconfig)' },
  { term: 'device COMMAND', meaning: 'the COMMAND register of the device itself' },
];

/** The simulator's columns: each cell key of a step's display, its header and what it shows. */
export const DISPLAY_COLUMNS: readonly { key: string; label: string; meaning: string }[] = [
  { key: 'outcome', label: 'outcome', meaning: 'what the access gives the user (see the legend)' },
  { key: 'read', label: 'read', meaning: 'the COMMAND value a config read returns' },
  { key: 'restore', label: 'BAR restore', meaning: 'what vfio_bar_restore() did in this step' },
  {
    key: 'virt',
    label: 'virtual COMMAND',
    meaning: 'the COMMAND value vfio-pci keeps for the user (vconfig)',
  },
  { key: 'hw', label: 'device COMMAND', meaning: 'the COMMAND register of the device itself' },
];

/** A COMMAND value with the names of its bits: "0x0002 MEMORY", "0x0000". */
export function commandText(value: number): string {
  return value ? `${hex4(value)} ${decodeCommand(value)}` : hex4(value);
}

/** The visible part of a step, in a few words ("EIO", "reads 0x0002", "BARs restored + log"). */
export function observedText(o: Omit<Observation, 'text' | 'step'>): string {
  if (o.config) return configObservedText(o.config);
  const parts: string[] = [];
  if (o.outcome) parts.push(o.outcome);
  if (o.read !== undefined) parts.push(`reads ${hex4(o.read)}`);
  if (o.restore && RESTORE_WORDS[o.restore]) parts.push(RESTORE_WORDS[o.restore]);
  return parts.join(', ') || (o.zap ? 'mmaps zapped' : 'no visible effect');
}

/** The typed observation of one step of a trace; `step` names it (the trace entry's action). */
export function observationOf(e: StepObservation, step: string = e.action): Observation {
  const o: Omit<Observation, 'text'> = { step, outcome: e.outcome ?? null };
  if (e.config) o.config = configObserved(e.config);
  if (e.read !== undefined) o.read = e.read;
  if (e.restore !== undefined) o.restore = e.restore;
  if (e.zap) o.zap = true;
  return { ...o, text: `${step}: ${observedText(o)}` };
}

/** A matrix cell's (and `compare`'s) reading of a step: "mmio-read EIO", "open vMEM=1", "write-cmd 0x0002 BARs restored + log". */
export function stepSummary(e: StepObservation): string {
  if (e.config) {
    const depends = e.dependsOn?.length ? ` (depends on ${e.dependsOn.join(', ')})` : '';
    return `${e.action} ${configObservedText(e.config)}${depends}`;
  }
  const parts = [e.action];
  if (e.action === 'open') parts.push(`vMEM=${e.virt & PCI_COMMAND_MEMORY ? 1 : 0}`);
  if (e.read !== undefined) parts.push(hex4(e.read));
  else if (e.outcome) parts.push(e.outcome);
  if (e.restore && RESTORE_WORDS[e.restore]) parts.push(RESTORE_WORDS[e.restore]);
  if (e.dependsOn?.length) parts.push(`(depends on ${e.dependsOn.join(', ')})`);
  return parts.join(' ');
}

/** The simulator's reading of a step: one line for a plain-text copy, and the table's cells in column order. */
export function stepDisplay(e: StepObservation): StepDisplay {
  if (e.config) {
    const c = e.config;
    const seen = configObservedText(c);
    return {
      text: `${seen}, virt ${decodeCommand(e.virt)}, hw ${decodeCommand(e.hw)}${e.zap ? ', mmaps zapped' : ''}`,
      cells: {
        outcome: c.outcome,
        read: c.value === undefined ? '' : `0x${c.value.toString(16)}`,
        restore: '',
        virt: decodeCommand(e.virt),
        hw: `${decodeCommand(e.hw)}${e.zap ? ' (zapped)' : ''}`,
        config: seen,
      },
    };
  }
  const parts: string[] = [];
  const restore = e.restore ? RESTORE_WORDS[e.restore] : '';
  if (e.outcome) parts.push(e.outcome);
  if (e.read !== undefined) parts.push(`read ${commandText(e.read)}`);
  if (restore) parts.push(restore);
  parts.push(`virt ${commandText(e.virt)}`, `hw ${commandText(e.hw)}`);
  if (e.zap) parts.push('mmaps zapped');
  return {
    text: parts.join(', '),
    cells: {
      outcome: e.outcome ?? '',
      read: e.read === undefined ? '' : commandText(e.read),
      restore,
      virt: commandText(e.virt),
      hw: `${commandText(e.hw)}${e.zap ? ', mmaps zapped' : ''}`,
    },
  };
}

/** A scope that knows only the operand values a decision recorded (a term it did not reach is unknown). */
function recordedScope(operands: readonly OperandValue[]): EvalScope {
  const values = new Map<string, number>();
  for (const o of operands) if (typeof o.value === 'number') values.set(o.name, o.value);
  return {
    value: (name) => values.get(name),
    hasFlag: (flag) => values.get(`pdev->dev_flags & ${flag}`),
    meaning: () => undefined,
    assumptions: {},
    assumed: new Set(),
  };
}

const fold = (s: string) => s.replace(/\s+/g, ' ').trim();
const isLogic = (e: Expr) => e.kind === 'binary' && (e.op === '&&' || e.op === '||');

/**
 * The decision's expression with the value of each operand of its logic after it:
 * `pdev->no_command_memory (1) || (cmd & PCI_COMMAND_MEMORY) (0)`. An operand short-circuit
 * evaluation did not reach carries no value.
 */
export function annotatedExpression(expr: Expr, operands: readonly OperandValue[]): string {
  const scope = recordedScope(operands);
  const term = (e: Expr): string => {
    const text = e.kind === 'binary' || e.kind === 'cond' ? `(${fold(e.text)})` : fold(e.text);
    try {
      return `${text} (${evaluate(e, scope, [])})`;
    } catch (err) {
      if (err instanceof NeedsAssumption) return text;
      throw err;
    }
  };
  const render = (e: Expr, inside?: string): string => {
    if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) {
      const text = `${render(e.left, e.op)} ${e.op} ${render(e.right, e.op)}`;
      return inside && inside !== e.op ? `(${text})` : text;
    }
    if (e.kind === 'unary' && e.op === '!' && (isLogic(e.arg) || e.arg.kind === 'unary')) {
      return `!${render(e.arg, '!')}`;
    }
    if (e.kind === 'unary' && e.op === '!') return `!${term(e.arg)}`;
    return term(e);
  };
  return render(expr);
}

/** An explanation with its expression annotated (the decision's compiled expression gives the operands' places). */
export function explained(w: Explanation, expr: Expr | null): ExplainedDecision {
  return { ...w, text: expr ? annotatedExpression(expr, w.operands) : w.expression };
}
