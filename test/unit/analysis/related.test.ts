/**
 * Related information is capped per finding (analysis/related.ts, issue 13): a patch whose hunks
 * flip the memory-enabled decision back and forth gave every finding every other site as related,
 * output quadratic in the input. Now each finding lists at most MAX_RELATED places, the last one
 * counting what was left out, and the output grows linearly with the hunks.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { MAX_RELATED, RelatedPlaces, cappedRelated } from '../../../server/src/analysis/related';
import type { RelatedInfo } from '../../../server/src/analysis/types';

const place = (i: number): RelatedInfo => ({
  range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } },
  message: `place ${i}`,
});
const places = (n: number) => Array.from({ length: n }, (_, i) => place(i));

test('a list within the cap is kept whole; past it, MAX_RELATED entries, the last counting the rest', () => {
  assert.deepEqual(cappedRelated(places(MAX_RELATED)), places(MAX_RELATED));
  for (const n of [MAX_RELATED + 1, MAX_RELATED + 2, 10 * MAX_RELATED]) {
    const capped = cappedRelated(places(n));
    assert.equal(capped.length, MAX_RELATED, `${n}`);
    assert.deepEqual(capped.slice(0, -1), places(MAX_RELATED - 1));
    const left = n - (MAX_RELATED - 1);
    assert.deepEqual(capped.at(-1), {
      range: place(MAX_RELATED - 1).range,
      message: `${left} more related place${left === 1 ? '' : 's'} not listed (the first: place ${MAX_RELATED - 1})`,
      kind: 'more',
      count: left,
    });
  }
});

test('RelatedPlaces builds no place past the cap and counts across its lists', () => {
  let built = 0;
  const list = new RelatedPlaces()
    .addEach(places(1000), (p) => (built++, p))
    .addAll(places(5))
    .add(place(7))
    .list();
  assert.equal(built, MAX_RELATED + 1);
  assert.equal(list.length, MAX_RELATED);
  assert.match(list.at(-1)!.message, new RegExp(`^${1000 + 5 + 1 - (MAX_RELATED - 1)} more related places`));
});

test("past the cap the most useful places stay: a reviewer's words are not lost behind the sites", () => {
  let built = 0;
  const site = (i: number) => ({ ...place(i), message: `also changes d${i}`, kind: 'site' as const });
  const list = new RelatedPlaces()
    .addEach(
      Array.from({ length: 1000 }, (_, i) => i),
      (i) => (built++, site(i)),
    )
    .addAll([{ ...place(2000), kind: 'marker' }])
    .addAll([
      { ...place(3000), kind: 'quote' },
      { ...place(3001), message: 'Bea Reviewer: why?', kind: 'review' },
    ])
    .list();
  assert.equal(built, MAX_RELATED + 1, 'the sites past the cap are counted, not built');
  assert.equal(list.length, MAX_RELATED);
  assert.deepEqual(
    list.filter((r) => r.kind === 'marker' || r.kind === 'review').map((r) => r.range.start.line),
    [2000, 3001],
  );
  // in the order they came: the sites first, then the marker and the comment; the rest counted
  assert.deepEqual(
    list.slice(0, MAX_RELATED - 3).map((r) => r.message),
    Array.from({ length: MAX_RELATED - 3 }, (_, i) => `also changes d${i}`),
  );
  const more = list.at(-1)!;
  assert.equal(more.kind, 'more');
  assert.equal(more.count, 1003 - (MAX_RELATED - 1));
  assert.match(more.message, /^\d+ more related places not listed \(the first: also changes d17\)$/);
});

const PREDICATE = 'bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)';
const EXPRESSIONS = ['pdev->is_virtfn', 'pdev->no_command_memory'];

/** One file diff whose hunks flip the memory-enabled predicate one way, then back. */
function flippingHunks(hunks: number): string {
  const out = ['--- a/drivers/vfio/pci/vfio_pci_config.c', '+++ b/drivers/vfio/pci/vfio_pci_config.c'];
  for (let i = 0; i < hunks; i++)
    out.push(
      `@@ -1,3 +1,3 @@ ${PREDICATE}`,
      ' {',
      `-\treturn ${EXPRESSIONS[i % 2]} || (cmd & PCI_COMMAND_MEMORY);`,
      `+\treturn ${EXPRESSIONS[(i + 1) % 2]} || (cmd & PCI_COMMAND_MEMORY);`,
      ' }',
    );
  return out.join('\n') + '\n';
}

test('hunks flipping a decision: each finding lists at most MAX_RELATED places; output linear', async () => {
  await initAnalysis();
  const size = (hunks: number) => {
    const { result } = analyzeText(flippingHunks(hunks), { file: 'flip.patch' });
    const behaviour = result.findings.filter((f) => f.code === 'behaviour-change');
    assert.ok(behaviour.length >= hunks - 1, `${hunks} hunks: ${behaviour.length} behaviour findings`);
    for (const f of result.findings) assert.ok(f.related.length <= MAX_RELATED, f.message);
    const counted = behaviour.filter((f) =>
      /more related places? not listed/.test(f.related.at(-1)?.message ?? ''),
    );
    assert.ok(counted.length > 0, 'some finding says how many places it left out');
    for (const f of counted) {
      const left = Number(/^(\d+) more/.exec(f.related.at(-1)!.message)![1]);
      // every other changed site (one finding each) is listed or counted
      assert.ok(
        MAX_RELATED - 1 + left >= behaviour.length - 1,
        `${left} left out of ${behaviour.length - 1}`,
      );
    }
    return JSON.stringify(result).length;
  };
  const small = size(2 * MAX_RELATED);
  const large = size(4 * MAX_RELATED);
  // twice the hunks, at most a little over twice the output (it was four times: quadratic)
  assert.ok(large <= 2.4 * small, `${small} -> ${large} bytes`);
});

test('sites of one decision with the same cases: the cases are listed once, each other site names where', async () => {
  await initAnalysis();
  const { result } = analyzeText(flippingHunks(5), { file: 'flip.patch' });
  const behaviour = result.findings.filter((f) => f.code === 'behaviour-change');
  const listing = behaviour.filter((f) => !/ listed at line \d+$/.test(f.message));
  assert.equal(listing.length, 1, behaviour.map((f) => f.message).join('\n'));
  const cases = listing[0].changes.length;
  assert.ok(cases > 1, `the listing site has the unit's ${cases} cases`);
  for (const f of behaviour.filter((x) => x !== listing[0])) {
    // the lead case, the count and the place of the list (1-based line, as a reviewer reads it)
    assert.equal(f.changes.length, 1, f.message);
    assert.deepEqual(f.changes[0], listing[0].changes[0]);
    const line = Number(/ listed at line (\d+)$/.exec(f.message)![1]);
    assert.equal(line, listing[0].range.start.line + 1);
    assert.match(f.message, new RegExp(`the ${cases} cases listed at line`));
    assert.deepEqual(f.related[0].range, listing[0].range);
    assert.equal(f.related[0].message, `the ${cases} cases of this change of ${f.decision}, listed here`);
  }
  // the list is on a site that writes the new text
  assert.ok(listing[0].range.start.line > 0);
});
