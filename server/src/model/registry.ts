/**
 * The models vfio-lens runs, one row each: what the editor and the command line offer of a model
 * (its variants, device kinds, step syntax, exploration alphabet, preset scripts, the pair the
 * simulator opens with) comes from here, so a client never hard-codes an id. The vfio-pci model is
 * the first row; another model (zPCI, ...) is another row built from its own tables. What a model
 * observes reaches a client already formatted by the model (each trace entry's `display`, each
 * explanation's `text`), so a row needs no formatter of its own here.
 */
import { DEVICE_KINDS } from './devices';
import { KERNELS } from './kernels';
import { SIMULATOR_PRESETS } from './scenarios';
import { EXPLORATION_ALPHABET, STEP_ACTIONS, STEP_SYNTAX, splitScript } from './steps';
import { registerNames } from './vfio/config/steps';

/** A model as people pick from it: plain data, the same for every client. */
export interface ModelVocabulary {
  id: string;
  label: string;
  description: string;
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
}

export const VFIO_PCI_MODEL: ModelVocabulary = {
  id: 'vfio-pci',
  label: 'vfio-pci config space',
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
};

export const MODELS: readonly ModelVocabulary[] = [VFIO_PCI_MODEL];
