/**
 * The items the zPCI reader makes of a hunk side (reader.ts), and what its parts share: the
 * reading context, the names a definition declares, the comments-included statement lists.
 */
import type { Node } from 'web-tree-sitter';
import { fold } from './cForm';
import { named } from './outcome';
import type { ReadOutcome } from './types';

export interface ItemBase {
  fn: string;
  /** Image line indices of the statement (for containers: their own header lines). */
  lines: number[];
  touched: boolean;
  /** Index of the enclosing container item (case, guard, loop), -1 at the top. */
  parent: number;
  /** The statement's C text, whitespace folded. */
  text: string;
}

export type ReadItem = ItemBase &
  (
    | {
        kind: 'check';
        condition: string;
        outcome?: ReadOutcome;
        /** The hunk cut the statement (a switch case whose end is not in the image). */
        partial?: boolean;
      }
    | {
        kind: 'case';
        subject: string;
        /** The arm's test (`pcias == ZPCI_CONFIG_BAR`); null for the default or the last else. */
        when: string | null;
        /** A case of a switch that began before the hunk and whose subject is not known. */
        orphan?: boolean;
        /** The arm's end is past the hunk. */
        cut?: boolean;
      }
    | { kind: 'guard'; condition: string }
    | { kind: 'loop'; variable: string; test: string; step: number }
    | { kind: 'access'; callee: string; args: string[]; assign?: string; statement: string }
    | { kind: 'assign'; target: string; op: string; value: string; conditions: string[] }
    | { kind: 'call'; callee: string; args: string[]; conditions: string[] }
    | { kind: 'label'; name: string; outcome?: ReadOutcome }
    | { kind: 'function'; name: string }
    | { kind: 'define'; name: string; value: string }
    | { kind: 'field'; container: string; name: string; type: string }
    | { kind: 'neutral'; why: string }
    | { kind: 'other'; why: string }
  );

export type ItemOf<K extends ReadItem['kind']> = Extract<ReadItem, { kind: K }>;

/** Recursion over the tree is bounded; deeper statements are read as `other`. */
export const MAX_DEPTH = 24;

export const FRAGMENT_NAME = '__vfio_lens_fragment';

/** Statements whose parts are read one by one even when some part does not parse. */
export const CONTAINERS = new Set([
  'translation_unit',
  'ERROR',
  'compound_statement',
  'function_definition',
  'if_statement',
  'switch_statement',
  'case_statement',
  'for_statement',
  'labeled_statement',
  'preproc_ifdef',
  'preproc_if',
  'preproc_else',
  'preproc_elif',
  'struct_specifier',
  'type_definition',
  'field_declaration_list',
]);

/** Stands for the subject of a switch whose head is not in the hunk (placement resolves it). */
export const ORPHAN_SUBJECT = '__switch_subject';

export interface Ctx {
  fn: string;
  parent: number;
  /** Every enclosing condition (guards, branch arms, negated for else arms). */
  conds: string[];
  depth: number;
}

export function declaratorName(d: Node | null): string | undefined {
  for (let n = d; n; n = n.childForFieldName('declarator')) {
    if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'type_identifier')
      return n.text;
  }
  return undefined;
}

/** The function a definition defines; SYSCALL_DEFINEn(name, ...) defines `name`. */
export function definedName(def: Node): string | undefined {
  const name = declaratorName(def.childForFieldName('declarator'));
  if (name && /^SYSCALL_DEFINE\d$/.test(name)) {
    let d = def.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const first = named(d?.childForFieldName('parameters') ?? null)[0];
    return first ? fold(first.text) : name;
  }
  return name;
}

/** A node's named children, comments included (a statement list as written). */
export function withComments(n: Node | null): Node[] {
  return (n?.namedChildren ?? []).filter((c): c is Node => !!c);
}

export function negateCase(v: string): string {
  const m = /^(.*) >= (.*) && \1 <= (.*)$/.exec(v);
  if (m) return `(${m[1]} < ${m[2]} || ${m[1]} > ${m[3]})`;
  return v.replace(/ == /, ' != ');
}
