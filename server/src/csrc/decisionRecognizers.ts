/**
 * How a statement of vfio-pci is recognised as one of its decision points: one row per decision,
 * by what the statement does (a return in the memory-enabled predicate, an if that guards
 * vfio_bar_restore, ...), not by its exact text. The rows of one statement kind are tried in
 * order; the first that claims a statement decides what it is (possibly nothing: a row may claim
 * a statement to say it is no decision point). Adding a decision point is adding a row here.
 */
import type { DecisionPoint } from '../model/index';

/** How sure a decision-point reading is; 'marker' readings need the baseline to confirm them. */
export type Confidence = 'statement' | 'body' | 'trailing' | 'marker';

/** What a recogniser sees of a statement. */
export interface StatementView {
  /** The function the statement is in (the fragment's own, else the hunk's), if known. */
  fn?: string;
  /** What the statement decides on, whitespace folded: the returned value, or the if's condition without its outer parentheses. */
  expression: string;
  /** What a row may ask of the if's consequence (nothing is in a return's). */
  body: BodyText;
  /** The if's block is still open where the fragment ends (closed by the wrapper, or missing). */
  bodyEndsOpen: boolean;
}

/**
 * The patterns a row asks of an if's consequence. They are found once per fragment and each body
 * is asked by its position (codeFacts.ts): scanning every if's body text would cost the nesting
 * times the text (1,000 nested ifs: each body holds all the ifs inside it).
 */
export const BODY_PATTERNS = {
  restoreCall: /\bvfio_bar_restore\s*\(/g,
  commandMemory: /PCI_COMMAND_MEMORY/g,
  /** "memory enable", "MEMORY", "memory space" (any case): each holds "memory". */
  memoryWords: /memory/gi,
} as const;

export type BodyPattern = keyof typeof BODY_PATTERNS;

export interface BodyText {
  /** Whether a match of the pattern lies in the body. */
  has(pattern: BodyPattern): boolean;
  /** Whether the body starts by returning (`return;` or `{ return;`). */
  returnsFirst(): boolean;
}

/** The BodyText of a body given as text (a scan per question: for a single statement, and for tests). */
export function bodyOfText(text: string): BodyText {
  return {
    has: (p) => text.search(BODY_PATTERNS[p]) >= 0,
    returnsFirst: () => /^\{?\s*return\s*;/.test(text.trim()),
  };
}

export type StatementKind = 'return_statement' | 'if_statement';

export interface DecisionRecognizer {
  decision: DecisionPoint;
  statement: StatementKind;
  /** The reading's confidence when the row recognises the statement; null when it claims it as no decision; undefined when it is not its statement. */
  recognise(s: StatementView): Confidence | null | undefined;
}

const isRestoreFunction = (fn: string | undefined) => fn !== undefined && /^vfio_bar_restore$/.test(fn);

export const DECISION_RECOGNIZERS: readonly DecisionRecognizer[] = [
  {
    // __vfio_pci_memory_enabled: `return pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY);`
    decision: 'memory-enabled',
    statement: 'return_statement',
    recognise: ({ fn, expression }) => {
      const inPredicate = fn ? /memory_enabled/.test(fn) : /PCI_COMMAND_MEMORY/.test(expression);
      return inPredicate && /PCI_COMMAND_MEMORY|memory|no_command_memory|is_virtfn/.test(expression)
        ? 'statement'
        : undefined;
    },
  },
  {
    // vfio_basic_config_read: `if (offset == PCI_COMMAND && vdev->pdev->no_command_memory)`
    decision: 'read-or-in',
    statement: 'if_statement',
    recognise: ({ fn, expression }) =>
      /\boffset\b/.test(expression) && /\bPCI_COMMAND\b/.test(expression) && (!fn || /config_read/.test(fn))
        ? 'statement'
        : undefined,
  },
  {
    // vfio_basic_config_write: the if that calls vfio_bar_restore (or compares virt_* with phys_*);
    // inside vfio_bar_restore itself such an if is no restore condition
    decision: 'restore-condition',
    statement: 'if_statement',
    recognise: ({ fn, expression, body }) => {
      const guardsRestore =
        body.has('restoreCall') ||
        (/\bvirt_(mem|io)\b/.test(expression) && /\bphys_(mem|io)\b/.test(expression));
      if (!guardsRestore) return undefined;
      return isRestoreFunction(fn) ? null : 'statement';
    },
  },
  {
    // vfio_bar_restore: `if (pdev->is_virtfn) return;`
    decision: 'restore-skip',
    statement: 'if_statement',
    recognise: ({ fn, body }) => (isRestoreFunction(fn) && body.returnsFirst() ? 'statement' : undefined),
  },
  {
    // vfio_config_init: an if on a marker that sets MEMORY in vconfig; how sure depends on the body
    decision: 'init-force-memory',
    statement: 'if_statement',
    recognise: ({ fn, expression, body, bodyEndsOpen }) => {
      if (!fn || !/config_init/.test(fn)) return undefined;
      if (!/is_virtfn|no_command_memory|detached_vf|dev_flags|dev_is_vf/.test(expression)) return undefined;
      if (body.has('commandMemory')) return 'body';
      if (bodyEndsOpen && body.has('memoryWords')) return 'trailing';
      return 'marker';
    },
  },
];

/** The decision a statement is, by the first row of its kind that claims it. */
export function recogniseDecision(
  kind: StatementKind,
  s: StatementView,
): { decision: DecisionPoint; confidence: Confidence } | undefined {
  for (const row of DECISION_RECOGNIZERS) {
    if (row.statement !== kind) continue;
    const confidence = row.recognise(s);
    if (confidence === undefined) continue;
    return confidence === null ? undefined : { decision: row.decision, confidence };
  }
  return undefined;
}
