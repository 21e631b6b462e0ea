/**
 * The models vfio-lens runs, one row each: what the editor and the command line offer of a model
 * (its variants, device kinds, step syntax, exploration alphabet, preset scripts, the pair the
 * simulator opens with) comes from here, so a client never hard-codes an id. The vfio-pci model is
 * the first row; the zPCI model (model/zpci/) is the second, built from its own tables. What a model
 * observes reaches a client already formatted by the model (each trace entry's `display`, each
 * explanation's `text`), so a row needs no formatter of its own here.
 */
import { DEVICE_KINDS } from './devices';
import { KERNELS } from './kernels';
import { DISPLAY_COLUMNS, OBSERVATION_TERMS } from './observation';
import { SIMULATOR_PRESETS } from './scenarios';
import { EXPLORATION_ALPHABET, STEP_ACTIONS, STEP_SYNTAX, splitScript } from './steps';
import { registerNames } from './vfio/config/steps';
import {
  DEFAULT_HOST,
  HOST_KERNELS,
  ZPCI_DEVICE_KINDS,
  ZPCI_EXPLORATION_ALPHABET,
  ZPCI_PRESETS,
  ZPCI_STEP_ACTIONS,
  ZPCI_STEP_SYNTAX,
  ZPCI_VERSION_SPECS,
  parseZpciSteps,
} from './zpci';

/** A model as people pick from it: plain data, the same for every client. */
export interface ModelVocabulary {
  id: string;
  label: string;
  description: string;
  /** The field a request names one of its variants with (`{ kernel: "v5.8" }`, `{ qemu: "v6.0" }`). */
  variantParam: 'kernel' | 'qemu';
  /** Its variants (kernels, QEMU versions), in the order they are offered. */
  variants: { id: string; label: string; description: string; commit?: string }[];
  /** Its device kinds; `registers`: the register names a config step may name on the kind (the step editor offers them). */
  devices: { id: string; label: string; description: string; registers?: string[] }[];
  steps: { action: string; usage: string; summary: string }[];
  /** The steps a comparison and the state diagram try from every state. */
  alphabet: string[];
  presets: { name: string; steps: string[] }[];
  /** The two variants a comparison starts from when nobody chose (the fix a story is about). */
  defaults: { a: string; b: string };
  /** A second layer the variants run on (the zPCI model's host kernels), with the one assumed. */
  hosts?: { options: { id: string; label: string; description: string }[]; default: string };
  /** What the words of its observations mean (the legend of every view that shows them). */
  legend: { term: string; meaning: string }[];
  /** The columns of a step's display (`display.cells`): header and meaning of each cell key. */
  columns: { key: string; label: string; meaning: string }[];
}

export const VFIO_PCI_MODEL: ModelVocabulary = {
  id: 'vfio-pci',
  label: 'vfio-pci config space',
  variantParam: 'kernel',
  description:
    "vfio-pci's emulation of the whole config space: permission tables, capability visibility, the write functions, and the Command register's MEMORY and IO bits, BAR restore and mmap zaps.",
  variants: KERNELS.map(({ id, label, description, commit }) =>
    commit === undefined ? { id, label, description } : { id, label, description, commit },
  ),
  devices: DEVICE_KINDS.map((k) => ({
    id: k.id,
    label: k.label,
    description: k.description,
    registers: registerNames(k),
  })),
  steps: STEP_ACTIONS.map((action) => {
    const syntax = STEP_SYNTAX[action];
    return { action, usage: [action, ...syntax.args.map((a) => a.name)].join(' '), summary: syntax.summary };
  }),
  alphabet: EXPLORATION_ALPHABET.map((s) => s.text),
  presets: SIMULATOR_PRESETS.map((p) => ({ name: p.name, steps: splitScript(p.script).map((s) => s.text) })),
  defaults: { a: 'v5.8', b: 'v5.10' },
  legend: OBSERVATION_TERMS.map((t) => ({ ...t })),
  columns: DISPLAY_COLUMNS.map((c) => ({ ...c })),
};

/** The zPCI model (model/zpci/): QEMU versions on a host kernel, four kinds of function. */
export const ZPCI_MODEL: ModelVocabulary = {
  id: 'zpci',
  label: "s390x zPCI: QEMU's PCILG, PCISTG and PCISTB",
  description:
    "What a guest's zPCI load, store and store block get from QEMU's interception (per QEMU version) " +
    'and the host kernel, for intercepted, ISM, interpreted and emulated functions.',
  variantParam: 'qemu',
  variants: ZPCI_VERSION_SPECS.map(({ id, label, description, commits }) =>
    commits.length ? { id, label, description, commit: commits[0] } : { id, label, description },
  ),
  devices: ZPCI_DEVICE_KINDS.map(({ id, label, description }) => ({ id, label, description })),
  steps: ZPCI_STEP_ACTIONS.map((action) => {
    const syntax = ZPCI_STEP_SYNTAX[action];
    const args = syntax.args.map((a) => (a.optional ? `[${a.name}]` : a.name));
    return { action, usage: [action, ...args].join(' '), summary: syntax.summary };
  }),
  alphabet: ZPCI_EXPLORATION_ALPHABET.map((s) => s.text),
  presets: ZPCI_PRESETS.map((p) => ({ name: p.name, steps: parseZpciSteps(p.script).map((s) => s.text) })),
  // The comparison: the PCISTB length read with 13 bits and the range checked per 8 bytes (v6.0).
  defaults: { a: 'v5.2', b: 'v6.0' },
  hosts: {
    options: HOST_KERNELS.map(({ id, label, description }) => ({ id, label, description })),
    default: DEFAULT_HOST,
  },
  legend: [
    { term: 'cc 0', meaning: 'condition code 0: the instruction completed' },
    { term: 'cc 1', meaning: 'condition code 1: an error; the status byte says which' },
    { term: 'cc 3', meaning: 'condition code 3: the function handle is not usable (not enabled, gone)' },
    {
      term: 'specification exception',
      meaning: 'a program check: the length, offset or alignment is not allowed',
    },
    {
      term: 'operand exception',
      meaning: 'a program check: the address space or a field of the operand is invalid',
    },
    { term: 'addressing exception', meaning: "a program check: the guest's buffer is not in its memory" },
    { term: 'refused', meaning: 'QEMU refused to plug the device (its message is given)' },
  ],
  // the cells of a zPCI step's display (analysis/zpciTypes.ts ZpciTraceStep.display.cells)
  columns: [
    {
      key: 'outcome',
      label: 'outcome',
      meaning: 'what the guest gets: a condition code and status, a program interrupt (see the legend)',
    },
    {
      key: 'delivery',
      label: 'delivery',
      meaning:
        "how an accepted load or store reached the device: one block or 8-byte writes, and the host's copy",
    },
    { key: 'check', label: 'check', meaning: "the check in QEMU's C (or the host's) that decided the step" },
  ],
};

export const MODELS: readonly ModelVocabulary[] = [VFIO_PCI_MODEL, ZPCI_MODEL];
