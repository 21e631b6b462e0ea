/**
 * fast-check arbitraries over input descriptions (inputs.ts): the hostile shapes of issue 13 at
 * sizes chosen per run (`Sizes`), and real documents of ../shared damaged by mutations.ts.
 */
import fc from 'fast-check';
import { corpusRealFiles, haveShared, seedFiles } from '../support/shared';
import type { ExpressionShape, Pathological, Source, TextInput } from './inputs';
import type { Mutation } from './mutations';

/** Size ranges [min, max] of the size-carrying classes. */
export interface Sizes {
  parens: [number, number];
  ternary: [number, number];
  orChain: [number, number];
  notChain: [number, number];
  macroTerms: [number, number];
  nestedIfs: [number, number];
  braces: [number, number];
  hunks: [number, number];
  parts: [number, number];
  files: [number, number];
  headerLength: [number, number];
  /** Unknown operands of one expression (each doubles the worlds the model explores). */
  unknowns: [number, number];
}

/** The issue's sizes: what `npm run fuzz` reaches, and the reader's seeded pass too. */
export const ISSUE_SIZES: Sizes = {
  parens: [1, 10_000],
  ternary: [1, 3_000],
  orChain: [1, 10_000],
  notChain: [1, 100_000],
  macroTerms: [1, 20_000],
  nestedIfs: [1, 1_000],
  braces: [1, 100_000],
  hunks: [1, 50_000],
  parts: [1, 10_000],
  files: [1, 1_000],
  headerLength: [1, 100_000],
  unknowns: [1, 64],
};

/** Each range scaled down by `factor` (at least 1 .. 2): for the entry points that cost more per byte. */
export function scaled(sizes: Sizes, factor: number): Sizes {
  const out = {} as Record<keyof Sizes, [number, number]>;
  for (const [k, [lo, hi]] of Object.entries(sizes) as [keyof Sizes, [number, number]][]) {
    out[k] = [lo, Math.max(lo + 1, Math.floor(hi / factor))];
  }
  return out;
}

/**
 * Sizes for the entry points that analyse (the analysis, the server): a twentieth of the issue's,
 * and hunks and file diffs in the low hundreds. Every finding lists every other changed decision
 * site as related information (analysis/index.ts), so N flipping hunks give N^2 related entries
 * (a todo test of analysis.test.ts), and at the issue's sizes a pass would spend its minutes and
 * gigabytes there.
 */
export const ANALYSIS_SIZES: Sizes = { ...scaled(ISSUE_SIZES, 20), hunks: [1, 150], files: [1, 150] };

const size = ([min, max]: [number, number]) => fc.integer({ min, max });
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** The files a mutation starts from: every corpus and seed file, and the project's sample. */
export function sources(): Source[] {
  const out: Source[] = [{ sample: 'sample-series.mbox' }, { decision: 'plain' }];
  if (haveShared()) {
    for (const f of corpusRealFiles()) out.push({ shared: `corpus/real/${f}` });
    for (const f of seedFiles()) out.push({ shared: `seeds/${f}` });
  }
  return out;
}

/** Characters that a regular expression built from text would choke on. */
const REGEX_BAIT = fc.string({
  unit: fc.constantFrom(
    '(',
    ')',
    '[',
    ']',
    '*',
    '+',
    '?',
    '.',
    '\\',
    '|',
    '{',
    '}',
    '^',
    '$',
    'a',
    ',',
    ' ',
    'd',
  ),
  maxLength: 200,
});

/** C-looking text for the decision line: operators, names, numbers, brackets, comments, strings. */
const C_TOKEN = fc.constantFrom(
  '(',
  ')',
  '!',
  '~',
  '-',
  '+',
  '*',
  '/',
  '%',
  '&',
  '&&',
  '|',
  '||',
  '^',
  '<<',
  '>>',
  '==',
  '!=',
  '<',
  '>=',
  '?',
  ':',
  ',',
  ' ',
  'pdev->is_virtfn',
  'pdev->no_command_memory',
  'vdev->pdev->dev_flags',
  'PCI_DEV_FLAGS_NO_COMMAND_MEMORY',
  'cmd',
  'PCI_COMMAND_MEMORY',
  '0x2',
  '08',
  '1u',
  'le16_to_cpu(',
  '(u16)',
  'dev_is_vf(',
  '[',
  ']',
  '{',
  '}',
  ';',
  '/*',
  '*/',
  '"',
  "'",
  '\\',
  '#define',
  '\t',
  '\u00e9',
  '\ud83d\ude00',
);
const C_TEXT = fc.array(C_TOKEN, { maxLength: 80 }).map((t) => t.join(''));

/** Decision expressions of the hostile shapes, and C-looking text. */
export function expressionShape(
  sizes: Sizes,
): fc.Arbitrary<ExpressionShape | { class: 'c-text'; text: string }> {
  return fc.oneof(
    fc.record({ class: fc.constant('nested-parens' as const), depth: size(sizes.parens) }),
    fc.record({ class: fc.constant('deep-ternary' as const), depth: size(sizes.ternary) }),
    fc.record({ class: fc.constant('or-chain' as const), operands: size(sizes.orChain) }),
    fc.record({ class: fc.constant('not-chain' as const), count: size(sizes.notChain) }),
    fc.record({ class: fc.constant('unknown-sum' as const), operands: size(sizes.unknowns) }),
    fc.record({ class: fc.constant('balanced-or' as const), operands: size(sizes.orChain) }),
    fc.record({ class: fc.constant('c-text' as const), text: C_TEXT }),
  );
}

export function pathological(sizes: Sizes, srcs: Source[]): fc.Arbitrary<Pathological> {
  const source = fc.constantFrom(...srcs);
  return fc.oneof(
    fc.record({ class: fc.constant('regex-bait' as const), params: REGEX_BAIT, body: REGEX_BAIT }),
    expressionShape(sizes),
    fc.record({ class: fc.constant('macro-body' as const), terms: size(sizes.macroTerms) }),
    fc.record({
      class: fc.constant('nested-ifs' as const),
      depth: size(sizes.nestedIfs),
      setter: fc.boolean(),
    }),
    fc.record({ class: fc.constant('nested-braces' as const), depth: size(sizes.braces) }),
    fc.record({
      class: fc.constant('decision-hunks' as const),
      hunks: size(sizes.hunks),
      variant: fc.constantFrom('same' as const, 'flip' as const, 'distinct' as const),
    }),
    fc.record({ class: fc.constant('base64-parts' as const), parts: size(sizes.parts) }),
    fc.record({
      class: fc.constant('qp-one-logical-line' as const),
      hunks: size(sizes.parts),
      join: fc.constantFrom('soft-breaks' as const, 'one-line' as const),
    }),
    fc.record({ class: fc.constant('file-diffs' as const), files: size(sizes.files) }),
    fc.record({ class: fc.constant('header-cut' as const), source, at: fraction }),
    fc.record({
      class: fc.constant('line-ends' as const),
      source,
      style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const),
      seed: fc.nat(),
    }),
    fc.record({
      class: fc.constant('long-run' as const),
      place: fc.constantFrom(
        'from' as const,
        'attribution' as const,
        'hunk-heading' as const,
        'flag-value' as const,
        'qp-line' as const,
      ),
      run: RUN_UNIT,
      length: size(sizes.headerLength),
      tail: RUN_TAIL,
    }),
  );
}

/** What a long run is made of, and what follows it (the character that makes a match fail late). */
const RUN_UNIT = fc.constantFrom('@', ' ', '\t', 'a', '_a', '<', '>', '(', ' <', '@ ', ', ', '=', 'a(', 'a[');
const RUN_TAIL = fc.constantFrom('', 'x', ' x', '+ x', ' (', ')', '>', '(', '!', '\n');

const HEADER_NAMES = fc.constantFrom(
  'From',
  'Subject',
  'Content-Type',
  'Content-Transfer-Encoding',
  'Message-Id',
  'In-Reply-To',
  'References',
  'Date',
);

export function mutation(sizes: Sizes): fc.Arbitrary<Mutation> {
  const count = fc.integer({ min: 1, max: 40 });
  return fc.oneof(
    fc.record({ op: fc.constant('drop-lines' as const), at: fraction, count }),
    fc.record({ op: fc.constant('duplicate-lines' as const), at: fraction, count }),
    fc.record({ op: fc.constant('swap-lines' as const), at: fraction, other: fraction }),
    fc.record({ op: fc.constant('truncate' as const), at: fraction }),
    fc.record({ op: fc.constant('truncate-line' as const), at: fraction, keep: fraction }),
    fc.record({
      op: fc.constant('line-ends' as const),
      style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const),
      seed: fc.nat(),
    }),
    fc.record({
      op: fc.constant('quote' as const),
      at: fraction,
      count: fc.integer({ min: 1, max: 400 }),
      prefix: fc.constantFrom('> ', '>', '> > ', '>> ', '| '),
    }),
    fc.record({
      op: fc.constant('hunk-counts' as const),
      nth: fc.nat({ max: 1000 }),
      field: fc.nat({ max: 3 }),
      value: fc.oneof(
        fc.nat({ max: 50 }),
        fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 99_999_999_999, Number.MAX_SAFE_INTEGER),
      ),
    }),
    fc.record({
      op: fc.constant('corrupt-base64' as const),
      nth: fc.nat({ max: 1000 }),
      at: fraction,
      char: fc.constantFrom('=', '!', '-', ' ', '\u00e9', '', '=='),
    }),
    fc.record({
      op: fc.constant('corrupt-qp' as const),
      nth: fc.nat({ max: 1000 }),
      kind: fc.constantFrom('bad-escape' as const, 'cut-escape' as const, 'soft-break' as const),
    }),
    fc.record({ op: fc.constant('duplicate-header' as const), name: HEADER_NAMES }),
    fc.record({
      op: fc.constant('long-header' as const),
      name: HEADER_NAMES,
      length: size(sizes.headerLength),
      folded: fc.boolean(),
    }),
    fc.record({ op: fc.constant('nul' as const), at: fraction, count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({
      op: fc.constant('invalid-utf8' as const),
      at: fraction,
      bytes: fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 6 }),
    }),
    fc.record({ op: fc.constant('lone-surrogate' as const), at: fraction }),
    fc.record({
      op: fc.constant('insert' as const),
      at: fraction,
      text: fc.oneof(C_TEXT, fc.string({ unit: 'binary', maxLength: 40 })),
    }),
  );
}

/** Any input: a hostile shape, a mutated real document, or raw text. */
export function textInput(sizes: Sizes, srcs: Source[] = sources()): fc.Arbitrary<TextInput> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: pathological(sizes, srcs).map((p) => ({ input: 'pathological' as const, ...p })),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        input: fc.constant('mutated' as const),
        source: fc.constantFrom(...srcs),
        mutations: fc.array(mutation(sizes), { minLength: 1, maxLength: 6 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        input: fc.constant('literal' as const),
        text: fc.string({ unit: 'binary', maxLength: 400 }),
      }),
    },
  );
}
