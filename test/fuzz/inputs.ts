/**
 * Fuzz inputs as descriptions: plain JSON that says how to build a document (a hostile shape of
 * the issue 13 table, or a corpus file with mutations), so a failing input can be kept as a small
 * regression file and rebuilt exactly. `buildText` turns a description into the document text;
 * corpus files are read from ../shared at run time, never copied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot, sharedPath } from '../support/shared';
import { applyMutation, withLineEnds, type Mutation } from './mutations';

/** The hostile shapes of the table, each with its size. */
export type Pathological =
  | { class: 'regex-bait'; params: string; body: string }
  | ExpressionShape
  | { class: 'macro-body'; terms: number }
  | { class: 'nested-ifs'; depth: number; setter: boolean }
  | { class: 'nested-braces'; depth: number }
  | { class: 'decision-hunks'; hunks: number; variant: 'same' | 'flip' | 'distinct' }
  | { class: 'base64-parts'; parts: number }
  /** A quoted-printable patch whose lines are one logical line: soft breaks after every =0A, or one encoded line. */
  | { class: 'qp-one-logical-line'; hunks: number; join: 'soft-breaks' | 'one-line' }
  | { class: 'file-diffs'; files: number }
  | { class: 'header-cut'; source: Source; at: number }
  | { class: 'line-ends'; source: Source; style: 'crlf' | 'cr' | 'mixed'; seed: number }
  | { class: 'c-text'; text: string }
  | LongRun;

/**
 * A long run of one string in a place the reader or C extraction reads with a pattern: a From
 * header, an attribution line, a hunk's @@ heading, a PCI_DEV_FLAGS_ value, a quoted-printable
 * line. `tail` follows the run (what makes a backtracking expression fail late, e.g. "@@@...@ x"
 * or "1      + x"). Patterns that retried every split of such a run were quadratic.
 */
export interface LongRun {
  class: 'long-run';
  place: 'from' | 'attribution' | 'hunk-heading' | 'flag-value' | 'qp-line';
  run: string;
  length: number;
  tail: string;
}

/** A decision expression of a hostile shape (also what the model is fed as a kernel's C). */
export type ExpressionShape =
  | { class: 'nested-parens'; depth: number }
  | { class: 'deep-ternary'; depth: number }
  | { class: 'or-chain'; operands: number }
  | { class: 'not-chain'; count: number }
  /** Operands the model does not know, under an operator that does not short-circuit. */
  | { class: 'unknown-sum'; operands: number }
  /** A balanced tree of || over unknown operands: shallow, but with many leaves. */
  | { class: 'balanced-or'; operands: number };

/** A document to start from: a file of ../shared (corpus, seeds) or of the project's samples. */
export type Source = { shared: string } | { sample: string } | { decision: 'plain' };

export type TextInput =
  | ({ input: 'pathological' } & Pathological)
  | { input: 'mutated'; source: Source; mutations: Mutation[] }
  | { input: 'literal'; text: string };

const HEAD = ['--- a/drivers/vfio/pci/vfio_pci_config.c', '+++ b/drivers/vfio/pci/vfio_pci_config.c'];
const PREDICATE = 'bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)';
const OLD_RETURN = '\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);';
const NEW_RETURN = '\treturn pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY);';

/** One hunk of the memory-enabled predicate: context before, removed, added, context after. */
function hunk(pre: string[], post: string[], before: string[] = [' {'], after: string[] = [' }']): string[] {
  const ctx = before.length + after.length;
  return [
    `@@ -1,${ctx + pre.length} +1,${ctx + post.length} @@ ${PREDICATE}`,
    ...before,
    ...pre.map((l) => '-' + l),
    ...post.map((l) => '+' + l),
    ...after,
  ];
}

/** A diff of the predicate whose new return is `expr` (lines above the return: `defines`). */
function decisionPatch(expr: string, defines: string[] = []): string {
  return [...HEAD, ...hunk([OLD_RETURN], [...defines, `\treturn ${expr};`]), ''].join('\n');
}

const MEMORY = '(cmd & PCI_COMMAND_MEMORY)';
const field = (i: number) => `pdev->f${i}`;

function balancedOr(lo: number, hi: number): string {
  // iterative: the builder must not be what overflows; a range [a, b) is "(left || right)"
  const text: string[] = [];
  const walk: (string | [number, number] | ')' | ' || ')[] = [[lo, hi]];
  while (walk.length) {
    const x = walk.pop()!;
    if (typeof x === 'string') text.push(x);
    else if (x[1] - x[0] <= 1) text.push(field(x[0]));
    else {
      const m = (x[0] + x[1]) >> 1;
      text.push('(');
      walk.push(')', [m, x[1]], ' || ', [x[0], m]);
    }
  }
  return text.join('');
}

/** The C text of an expression shape, `|| (cmd & PCI_COMMAND_MEMORY)` after it. */
export function expressionText(e: ExpressionShape): string {
  switch (e.class) {
    case 'nested-parens':
      return `${'('.repeat(e.depth)}pdev->no_command_memory${')'.repeat(e.depth)} || ${MEMORY}`;
    case 'deep-ternary':
      return `${Array.from({ length: e.depth }, (_, i) => `${field(i)} ? ${i & 1} :`).join(' ')} ${MEMORY}`;
    case 'or-chain':
      return `${Array.from({ length: e.operands }, (_, i) => field(i)).join(' || ')} || ${MEMORY}`;
    case 'not-chain':
      return `${'!'.repeat(e.count)}pdev->no_command_memory || ${MEMORY}`;
    case 'unknown-sum':
      return `(${Array.from({ length: e.operands }, (_, i) => field(i)).join(' + ')}) || ${MEMORY}`;
    case 'balanced-or':
      return `${balancedOr(0, Math.max(1, e.operands))} || ${MEMORY}`;
  }
}

const MAIL_HEAD = ['From: Fuzz Sender <fuzz@example.org>', 'Subject: [PATCH] vfio/pci: fuzz'];

function buildLongRun(p: LongRun): string {
  const run = p.run.repeat(Math.max(0, p.length)) + p.tail;
  switch (p.place) {
    case 'from':
      return [`From: ${run}`, MAIL_HEAD[1], '', decisionPatch(`pdev->no_command_memory || ${MEMORY}`)].join(
        '\n',
      );
    case 'attribution':
      return [
        'From: Fuzz Reviewer <review@example.org>',
        'Subject: Re: [PATCH] vfio/pci: fuzz',
        '',
        `On Mon, 1 Jan 2024, ${run} wrote:`,
        ...decisionPatch(`pdev->no_command_memory || ${MEMORY}`)
          .split('\n')
          .map((l) => '> ' + l),
        '',
        'Looks wrong to me.',
        '',
      ].join('\n');
    case 'hunk-heading':
      return [...HEAD, `@@ -1,3 +1,3 @@ ${run}`, ' {', '-' + OLD_RETURN, '+' + NEW_RETURN, ' }', ''].join(
        '\n',
      );
    case 'flag-value':
      return [
        '--- a/include/linux/pci.h',
        '+++ b/include/linux/pci.h',
        '@@ -1,3 +1,4 @@ enum pci_dev_flags {',
        ' \tPCI_DEV_FLAGS_NO_BUS_RESET = (__force pci_dev_flags_t) (1 << 6),',
        `+\tPCI_DEV_FLAGS_FUZZ = 1${run},`,
        ' \tPCI_DEV_FLAGS_NO_PM_RESET = (__force pci_dev_flags_t) (1 << 7),',
        ' };',
        '',
      ].join('\n');
    case 'qp-line':
      return [
        ...MAIL_HEAD,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        run,
        decisionPatch(`pdev->no_command_memory || ${MEMORY}`).replace(/=/g, '=3D'),
        '',
      ].join('\n');
  }
}

function buildPathological(p: Pathological): string {
  switch (p.class) {
    case 'regex-bait':
      return decisionPatch(`dev_is_vf(pdev) || ${MEMORY}`, [`#define dev_is_vf(${p.params}) ${p.body}`]);
    case 'nested-parens':
    case 'deep-ternary':
    case 'or-chain':
    case 'not-chain':
    case 'unknown-sum':
    case 'balanced-or':
      return decisionPatch(expressionText(p));
    case 'macro-body': {
      const terms = Array.from({ length: p.terms }, (_, i) => `(d)->f${i}`).join(' || ');
      return decisionPatch(`dev_is_vf(pdev) || ${MEMORY}`, [`#define dev_is_vf(d) (${terms})`]);
    }
    case 'nested-ifs': {
      const open = Array.from({ length: p.depth }, (_, i) => ` \tif (pdev->f${i}) {`);
      const close = Array.from({ length: p.depth }, () => ' \t}');
      const inner = p.setter ? ['\tpdev->no_command_memory = 1;'] : [NEW_RETURN];
      return [...HEAD, ...hunk([OLD_RETURN], inner, [' {', ...open], [...close, ' }']), ''].join('\n');
    }
    case 'nested-braces':
      return [
        ...HEAD,
        ...hunk(
          [OLD_RETURN],
          [NEW_RETURN],
          [' {', ' ' + '{'.repeat(p.depth)],
          [' ' + '}'.repeat(p.depth), ' }'],
        ),
        '',
      ].join('\n');
    case 'decision-hunks': {
      const exprs = ['pdev->is_virtfn', 'pdev->no_command_memory'];
      const out = [...HEAD];
      for (let i = 0; i < p.hunks; i++) {
        const [a, b] =
          p.variant === 'same'
            ? [exprs[0], exprs[1]]
            : p.variant === 'flip'
              ? [exprs[i % 2], exprs[(i + 1) % 2]]
              : [`pdev->f${i}`, `pdev->f${i + 1}`];
        out.push(...hunk([`\treturn ${a} || ${MEMORY};`], [`\treturn ${b} || ${MEMORY};`]));
      }
      out.push('');
      return out.join('\n');
    }
    case 'base64-parts': {
      const b64 = Buffer.from(decisionPatch(`pdev->no_command_memory || ${MEMORY}`))
        .toString('base64')
        .replace(/.{76}/g, '$&\n');
      const out = [
        'From: Fuzz Sender <fuzz@example.org>',
        'Subject: [PATCH] vfio/pci: fuzz',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="fuzz-boundary"',
        '',
      ];
      for (let i = 0; i < p.parts; i++) {
        out.push(
          '--fuzz-boundary',
          'Content-Type: text/x-patch',
          'Content-Transfer-Encoding: base64',
          '',
          b64,
        );
      }
      out.push('--fuzz-boundary--', '');
      return out.join('\n');
    }
    case 'qp-one-logical-line': {
      const body = [...HEAD];
      for (let i = 0; i < p.hunks; i++) body.push(...hunk([OLD_RETURN], [NEW_RETURN]));
      const encoded = body.map((l) => l.replace(/=/g, '=3D').replace(/\t/g, '=09') + '=0A');
      return [
        'From: Fuzz Sender <fuzz@example.org>',
        'Subject: [PATCH] vfio/pci: fuzz',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        p.join === 'one-line' ? encoded.join('') : encoded.join('=\n'),
        '',
      ].join('\n');
    }
    case 'file-diffs': {
      const out: string[] = [];
      for (let i = 0; i < p.files; i++) out.push(...HEAD, ...hunk([OLD_RETURN], [NEW_RETURN]));
      out.push('');
      return out.join('\n');
    }
    case 'header-cut': {
      const text = sourceText(p.source);
      const headerEnd = text.search(/\r?\n\r?\n|\r\r/);
      const cut = Math.floor(Math.max(0, Math.min(1, p.at)) * (headerEnd < 0 ? text.length : headerEnd));
      return text.slice(0, cut);
    }
    case 'line-ends':
      return withLineEnds(sourceText(p.source).split(/\r\n|\r|\n/), p.style, p.seed);
    case 'c-text':
      return decisionPatch(p.text);
    case 'long-run':
      return buildLongRun(p);
  }
}

const sourceCache = new Map<string, string>();

/** The text of a source document (cached: corpus files are read once per run). */
export function sourceText(source: Source): string {
  if ('decision' in source) return decisionPatch(`pdev->no_command_memory || ${MEMORY}`);
  const file =
    'shared' in source ? sharedPath(source.shared) : path.join(projectRoot, 'samples', source.sample);
  let text = sourceCache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    sourceCache.set(file, text);
  }
  return text;
}

/** Builds the document a description stands for (deterministic: same description, same text). */
export function buildText(input: TextInput): string {
  switch (input.input) {
    case 'literal':
      return input.text;
    case 'pathological':
      return buildPathological(input);
    case 'mutated': {
      let text = sourceText(input.source);
      for (const m of input.mutations) text = applyMutation(text, m);
      return text;
    }
  }
}

/** A short name of an input for reports: its class and size, or its source and mutations. */
export function describeInput(input: TextInput): string {
  switch (input.input) {
    case 'literal':
      return `literal (${input.text.length} chars)`;
    case 'mutated':
      return `${sourceName(input.source)} with ${input.mutations.map((m) => m.op).join(', ') || 'no mutation'}`;
    case 'pathological': {
      const { input: _i, class: cls, ...rest } = input;
      const params = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'object' ? sourceName(v as Source) : JSON.stringify(v)}`)
        .join(' ');
      return `${cls} ${params.length > 120 ? params.slice(0, 117) + '...' : params}`;
    }
  }
}

function sourceName(s: Source): string {
  return 'shared' in s ? s.shared : 'sample' in s ? `samples/${s.sample}` : 'decision patch';
}

/** The class an input counts under in the fuzz report. */
export function inputClass(input: TextInput): string {
  if (input.input === 'pathological') return input.class;
  if (input.input === 'literal') return 'literal';
  return 'corpus mutation';
}
