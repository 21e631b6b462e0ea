/**
 * What the zPCI C reader takes and gives. It takes the images of a patch's hunks (lines of C with
 * a changed flag, the file and the function they are in), never diff hunks themselves, and gives
 * the changes it recognised, each with its place, the model node (or field, or trait) it touches,
 * and the edits that turn the baseline version into the post-image's.
 */
import type {
  CheckOutcome,
  HostEdit,
  HostKernelSpec,
  ZpciEdit,
  ZpciInstruction,
  ZpciVersionSpec,
} from '../../model/zpci';

/** One line of one side of a hunk. */
export interface ImageLine {
  text: string;
  /** Removed (pre-image) or added (post-image) by the patch; false for context. */
  changed: boolean;
  /** 1-based line number in the file on this side, when known (a gap starts a new fragment). */
  line?: number;
}

/** One hunk as two images, with where it is. */
export interface ZpciHunkImages {
  /** The file's path as the diff names it ("hw/s390x/s390-pci-inst.c"). */
  file: string;
  /** The function the hunk is in (the @@ heading's), if known; the hunk's own text may say more. */
  function?: string;
  /** The @@ heading itself, when the caller has it (`SYSCALL_DEFINE3(s390_pci_mmio_write, ...` names its syscall). */
  heading?: string;
  pre: ImageLine[];
  post: ImageLine[];
}

/** Where a change is: the hunk (index into the input) and the image lines (indices) on each side. */
export interface ZpciPlace {
  hunk: number;
  file: string;
  function: string;
  preLines: number[];
  postLines: number[];
}

/** The part of the model a change touches. */
export type ZpciTarget =
  | { kind: 'node'; instruction: ZpciInstruction; id: string }
  | { kind: 'case'; instruction: ZpciInstruction; branch: string; index: number }
  | { kind: 'decode'; instruction: ZpciInstruction; field: 'len' | 'pcias' }
  | { kind: 'plug-check'; id: string }
  | { kind: 'interpretation' }
  | { kind: 'clp-check'; request: 'enable' | 'disable'; id: string }
  | { kind: 'trait'; trait: string }
  | { kind: 'host'; field: string }
  /** Recognised, and nothing the model reads: a comment, tracing, a declaration, a local, a constant it has. */
  | { kind: 'none'; reason: string }
  | { kind: 'not-modelled'; reason: string };

export type ZpciChangeKind =
  | 'modified'
  | 'added'
  | 'removed'
  | 'moved'
  /** The C text changed, its expression form did not (whitespace, parentheses, spelling). */
  | 'reformatted'
  | 'none'
  | 'not-modelled';

export interface ZpciChange {
  place: ZpciPlace;
  target: ZpciTarget;
  /** "pcistb/length", "plug/msix-fence", "trait clpMaxstbl", "not modelled: rpcit_service_call in hw/s390x/s390-pci-inst.c". */
  key: string;
  change: ZpciChangeKind;
  before?: string;
  after?: string;
  message: string;
  /** What turns the baseline into the post-image's version (applyZpciEdits). */
  edits: ZpciEdit[];
  /** For a host kernel patch: what turns the host into the post-image's (applyHostEdits). */
  hostEdits?: HostEdit[];
  /** Checks this one moved past (order decides which exception a guest sees). */
  movedPast?: string[];
}

/** A lint from the review knowledge, on the change that causes it. */
export interface ZpciLint {
  code: 'check-reordered';
  change: number;
  message: string;
}

export interface BaselineCandidate {
  id: string;
  /** Items of the pre-images the version matches exactly. */
  matches: number;
  /** Items whose node the version has with other C text (alignable). */
  differs: number;
  /** Items the version has no node for at all. */
  lacks: number;
}

export interface BaselineDetection {
  id: string;
  /** How it was chosen ("pre-images match v5.2 at 7 of 7 items of pcistb_service_call"). */
  evidence: string[];
  /** Every candidate with the same score (a tie the choice broke). */
  tiedWith: string[];
  candidates: BaselineCandidate[];
  /** The caller named it (options.baseline). */
  given?: boolean;
}

/** An item of the pre-images whose text differs from the baseline's node (aligned before comparing). */
export interface BaselineDrift {
  key: string;
  baseline: string;
  preImage: string;
}

export interface ZpciReading {
  changes: ZpciChange[];
  lints: ZpciLint[];
  baseline: BaselineDetection;
  /** Differences between the baseline and the pre-images' unchanged text (applied to `before`). */
  drift: BaselineDrift[];
  /** The baseline aligned with what the pre-images show. */
  before: ZpciVersionSpec;
  /** `before` with every change applied: the post-image's version. */
  after: ZpciVersionSpec;
  host?: { baseline: BaselineDetection; before: HostKernelSpec; after: HostKernelSpec };
  /** Edits that did not fit the baseline, and other limits met, each with its place. */
  problems: string[];
  /** Files the reader covers, and files of the input it leaves to others. */
  files: { read: string[]; outside: string[] };
}

/** What a check's body does, as the reader found it. */
export type ReadOutcome = CheckOutcome | { message: string } | { ret: string } | { unresolved: string };
