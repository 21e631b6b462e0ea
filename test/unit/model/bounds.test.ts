/**
 * The model's bounds on hostile C (issue 13): no walk over an expression recurses past
 * MAX_EXPR_DEPTH, one world assumes at most MAX_ASSUMED_UNKNOWNS identifiers before a decision is
 * taken as one unknown, and a long unknown operand keeps a short name of its own.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { comparePolicies, kernelSpec, simulateScript } from '../../../server/src/analysis/modelRuns';
import {
  evaluate,
  MAX_ASSUMED_UNKNOWNS,
  operandName,
  type EvalScope,
} from '../../../server/src/model/evaluate';
import { MAX_EXPR_DEPTH, type Expr, type PolicySpec } from '../../../server/src/model/index';

before(async () => {
  await initCParser();
});

function scope(assumptions: Record<string, number>): EvalScope {
  return {
    value: (name) => (name === 'one' ? 1 : undefined),
    hasFlag: () => undefined,
    meaning: () => undefined,
    assumptions,
    assumed: new Set(),
  };
}

test('an Expr deeper than MAX_EXPR_DEPTH (no parser of ours makes one) is evaluated without overflowing', () => {
  let e: Expr = { kind: 'ident', name: 'one', text: 'one' };
  for (let i = 0; i < 100_000; i++) e = { kind: 'unary', op: '!', arg: e, text: 'x' };
  const operands: { name: string; value: number | 'unknown' }[] = [];
  // past the bound the rest is one opaque operand (named by its text), here assumed 1, under
  // the MAX_EXPR_DEPTH + 1 negations evaluated above it
  assert.equal(evaluate(e, scope({ x: 1 }), operands), (MAX_EXPR_DEPTH + 1) % 2 === 0 ? 1 : 0);
  assert.deepEqual(
    operands.map((o) => o.name),
    ['x'],
  );
  assert.ok(MAX_EXPR_DEPTH < 100_000);
});

test('a long unknown operand is named by its beginning, its length and a hash: short, and one name each', () => {
  const text = (i: number) => 'pdev->' + 'x'.repeat(5000) + i;
  const a = operandName({ kind: 'unknown', text: text(1) });
  const b = operandName({ kind: 'unknown', text: text(2) });
  assert.ok(a.length < 200, a);
  assert.match(a, /^pdev->x+\.\.\. \(5007 characters, #[0-9a-f]{8}\)$/);
  assert.notEqual(a, b);
});

function withMemoryEnabled(text: string): PolicySpec {
  const base = kernelSpec('v5.10');
  return { ...base, id: 'bounds', decisions: { ...base.decisions, 'memory-enabled': text } };
}

test('a decision over 30 unknown fields costs a bounded number of worlds, and says it is unknown as a whole', () => {
  const sum = Array.from({ length: 30 }, (_, i) => `pdev->f${i}`).join(' + ');
  const spec = withMemoryEnabled(`(${sum}) || (cmd & PCI_COMMAND_MEMORY)`);
  const r = simulateScript('vf', spec, 'open; mmio-read');
  const branches = r.branches ?? [];
  assert.ok(
    branches.length > 1 && branches.length <= 2 ** (MAX_ASSUMED_UNKNOWNS + 1),
    `${branches.length} branches`,
  );
  for (const b of branches) assert.ok(Object.keys(b.assumptions).length <= MAX_ASSUMED_UNKNOWNS + 1);
  const whole = branches.flatMap((b) => b.trace.flatMap((t) => t.why.flatMap((w) => w.operands)));
  assert.ok(
    whole.some(
      (o) =>
        o.name === 'memory-enabled (unknown as a whole)' &&
        /more than 4 unknown identifiers/.test(o.meaning ?? ''),
    ),
  );
  // and a comparison of it ends (it used to run out of memory)
  const c = comparePolicies('v5.10', spec, { device: 'vf', depth: 3 });
  assert.ok(c.differences.length > 0);
});

test('10,000 unknown fields under || short-circuit in a bounded number of nested retries', () => {
  const chain = Array.from({ length: 10_000 }, (_, i) => `pdev->f${i}`).join(' || ');
  // a balanced tree keeps it inside MAX_EXPR_DEPTH: every operand is read by the model
  const balanced = (lo: number, hi: number): string =>
    hi - lo === 1 ? `pdev->f${lo}` : `(${balanced(lo, (lo + hi) >> 1)} || ${balanced((lo + hi) >> 1, hi)})`;
  for (const text of [chain, balanced(0, 10_000)]) {
    const r = simulateScript('vf', withMemoryEnabled(text), 'open; mmio-read');
    assert.ok((r.branches?.length ?? 1) <= 2 * (MAX_ASSUMED_UNKNOWNS + 2));
  }
});

test('each operand is listed once, in the order first read, in a short list and past the scanned length', () => {
  const ident = (name: string): Expr => ({ kind: 'ident', name, text: name });
  // v0 | v1 | ... | v0 | v1 | ... : every name read twice; with 40 names the list grows past 16 in between
  for (const count of [5, 40]) {
    const names = Array.from({ length: count }, (_, i) => `v${i}`);
    const e = [...names, ...names]
      .map(ident)
      .reduce((l, r): Expr => ({ kind: 'binary', op: '|', left: l, right: r, text: 'x' }));
    const values = Object.fromEntries(names.map((n, i) => [n, i % 2]));
    const operands: { name: string; value: number | 'unknown' }[] = [];
    const s: EvalScope = { ...scope({}), value: (name) => values[name] };
    assert.equal(evaluate(e, s, operands), 1);
    assert.deepEqual(
      operands.map((o) => o.name),
      names,
    );
    assert.deepEqual(
      operands.map((o) => o.value),
      names.map((_, i) => i % 2),
    );
  }
});
