/**
 * Shapes of the config-space C reading: the image lines it is given (one side of a hunk, as
 * lines with a changed mark), the facts it recognises on each side (which model row, entry,
 * table slot or decision a statement is, with its C text), and the changes it reports (the
 * place, the model slot and its before/after, or why it is no behaviour change or not modelled).
 */
import type { DecisionPoint } from '../../model/index';
import type { ConfigDecision, ConfigEdit, PermField, PermRow } from '../../model/vfio/config';

export interface ImageLine {
  text: string;
  /** Added (post-image) or removed (pre-image) by the patch. */
  changed: boolean;
}

/** One hunk as its two images: what the reader hands in (the diff layer, or any other source). */
export interface HunkImages {
  /** The file's path ("drivers/vfio/pci/vfio_pci_config.c"). */
  file: string;
  /** The function the hunk is in, if known. */
  functionName?: string;
  /** The declaration git printed after the @@ (a signature, or "static const u8 pci_cap_length[...] = {"). */
  heading?: string;
  pre: ImageLine[];
  post: ImageLine[];
}

export type ConfigSlot =
  | { kind: 'perm-row'; cap: string; offset: number; width: 1 | 2 | 4; when: string | null | 'outside' }
  | { kind: 'perm-entry'; cap: string; field: PermField }
  | { kind: 'length'; space: 'std' | 'ext'; id: number }
  | { kind: 'decision'; decision: ConfigDecision }
  | { kind: 'command'; decision: DecisionPoint }
  /** What the model computes the same way in every variant (a length, a helper): text checked, no edit. */
  | { kind: 'built-in'; what: string };

export interface ConfigFact {
  slot: ConfigSlot;
  /** The value's C text (whitespace folded); null: this place shows the row/entry/decision is absent. */
  value: string | null;
  /** perm-row facts: the call's arguments. */
  row?: PermRow;
  offsetText?: string;
  /** The lines that place it (the deciding statement). */
  lines: number[];
  /** Every line it explains (a whole if statement, a helper function). */
  covers: number[];
  /** The function it is in (or the table, or the declared name). */
  function?: string;
  /** The statement in words, for messages. */
  what: string;
  /** built-in facts: the model's own form and whether this text computes the same. */
  builtIn?: { model: string; agrees: boolean; why: string };
  /** Edits that follow from the fact beyond its slot (PCI_EXT_CAP_ID_MAX from an initialiser's index). */
  implies?: ConfigEdit[];
  /** The value could not be read completely (a name assigned outside the hunk, ...). */
  problem?: string;
}

/** The facts of one side of one hunk, with the image they were read from. */
export interface SideFacts {
  hunk: number;
  side: 'pre' | 'post';
  image: ImageLine[];
  facts: ConfigFact[];
}

export type ChangeKind = 'model' | 'no-behaviour-change' | 'not-modelled';

export interface ChangePlace {
  /** Index of the hunk in the list read. */
  hunk: number;
  side: 'pre' | 'post';
  /** Image lines (0-based indices into that side's lines). */
  lines: number[];
}

export interface ConfigChange {
  kind: ChangeKind;
  file: string;
  function?: string;
  places: ChangePlace[];
  /** The model slot ("decision cap-length-known", "PM row at PCI_PM_CTRL (0x4)"). */
  target?: string;
  /** The slot's C text before and after; undefined: that side shows none. */
  before?: string | null;
  after?: string | null;
  /** What applying the change does to a variant (empty for the other kinds). */
  edits: ConfigEdit[];
  message: string;
}
