/**
 * What readCode reads on hostile nesting (issue 13): one walk over the tree gives every
 * candidate its function and the ifs around it, so the work is linear in the nesting; a
 * setter nested past MAX_SETTER_IFS is said to be not placed rather than given a quadratic text;
 * a side nesting blocks past MAX_BLOCK_DEPTH is not read at all (every walk of every reader cost
 * seconds on 100,000 braces, past any budget), and its facts say why.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { hunkImages } from '../../../server/src/analysis/applySeries';
import { readCode } from '../../../server/src/csrc/codeFacts';
import { readDocument } from '../../../server/src/mail/index';
import { MAX_BLOCK_DEPTH } from '../../../server/src/csrc/fragment';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';

before(async () => {
  await initCParser();
});

/** The facts of the one hunk of a diff that adds `added` (context lines before and after). */
function factsOf(heading: string, before: string[], added: string[], after: string[]) {
  const ctx = before.length + after.length;
  const text = [
    '--- a/drivers/pci/iov.c',
    '+++ b/drivers/pci/iov.c',
    `@@ -1,${ctx} +1,${ctx + added.length} @@ ${heading}`,
    ...before.map((l) => ' ' + l),
    ...added.map((l) => '+' + l),
    ...after.map((l) => ' ' + l),
    '',
  ].join('\n');
  const hunk = readDocument(text).files[0].hunks[0];
  return readCode(hunkImages(hunk));
}

const nest = (depth: number, inner: string[], cond = (i: number) => `virtfn->f${i}`) => ({
  before: ['{', ...Array.from({ length: depth }, (_, i) => `if (${cond(i)}) {`)],
  inner,
  after: [...Array.from({ length: depth }, () => '}'), '}'],
});

test('a setter inside nested ifs has their conditions, outermost first, !(...) in an else branch', () => {
  const f = factsOf(
    'int pci_iov_add_virtfn(struct pci_dev *dev, int id)',
    ['{', 'if (a) {', 'if (b) {', '} else {'],
    ['virtfn->no_command_memory = 1;'],
    ['}', '}', '}'],
  );
  const s = f.post.setters[0];
  assert.equal(s.marker, 'no_command_memory');
  assert.equal(s.condition, 'a && !(b)');
  assert.equal(s.functionName, 'pci_iov_add_virtfn');
});

test('a setter nested inside more than 64 ifs is not placed: its marker is listed as unexplained', () => {
  const deep = nest(70, ['virtfn->no_command_memory = 1;']);
  const f = factsOf(
    'int pci_iov_add_virtfn(struct pci_dev *dev, int id)',
    deep.before,
    deep.inner,
    deep.after,
  );
  assert.deepEqual(f.post.setters, []);
  assert.deepEqual(
    f.post.unexplained.map((u) => u.names),
    [['no_command_memory']],
  );
  const shallow = nest(64, ['virtfn->no_command_memory = 1;']);
  const g = factsOf(
    'int pci_iov_add_virtfn(struct pci_dev *dev, int id)',
    shallow.before,
    shallow.inner,
    shallow.after,
  );
  assert.equal(g.post.setters[0].condition?.split(' && ').length, 64);
});

test('a return inside 200 nested ifs is still the memory-enabled decision; inside 1,000 ifs or 100,000 braces it is not read, and says so', () => {
  const heading = 'bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)';
  const ret = ['return pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY);'];
  const ifs = nest(200, ret);
  const a = factsOf(heading, ifs.before, ifs.inner, ifs.after);
  assert.deepEqual(
    a.post.decisions.map((d) => [d.decision, d.expression]),
    [['memory-enabled', 'pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY)']],
  );
  const deep = nest(1000, ret);
  const b = factsOf(heading, deep.before, deep.inner, deep.after);
  assert.match(b.post.unread ?? '', /nests blocks 1001 deep/);
  const c = factsOf(heading, ['{', '{'.repeat(100_000)], ret, ['}'.repeat(100_000), '}']);
  assert.match(c.post.unread ?? '', /nests blocks 100001 deep/);
  assert.deepEqual(c.post.decisions, []);
});

test("an if condition's wrapping parentheses are stripped in one pass (10,000 of them)", () => {
  const heading = 'static int vfio_basic_config_read(struct vfio_pci_device *vdev, int pos)';
  const cond = '('.repeat(10_000) + 'offset == PCI_COMMAND' + ')'.repeat(10_000);
  const f = factsOf(heading, ['{'], [`if (${cond}) {`, 'return 0;', '}'], ['}']);
  assert.equal(f.post.decisions[0]?.decision, 'read-or-in');
  assert.equal(f.post.decisions[0]?.expression, 'offset == PCI_COMMAND');
});

test('a chain of 5,000 assignments keeps each fact text short (no copy of the chain per link)', () => {
  const chain = Array.from({ length: 5000 }, () => 'virtfn->is_virtfn = ').join('') + '1;';
  const f = factsOf('int pci_iov_add_virtfn(struct pci_dev *dev, int id)', ['{'], [chain], ['}']);
  assert.equal(f.post.setters.length, 5000);
  for (const s of f.post.setters) {
    assert.ok(s.statement.length <= 513 && s.value.length <= 513, `${s.statement.length} ${s.value.length}`);
  }
  assert.equal(f.post.setters[4999].value, '1');
});

test('a side nesting blocks deeper than MAX_BLOCK_DEPTH is not read, and says so; one level less is read', () => {
  const heading = 'int pci_iov_add_virtfn(struct pci_dev *dev, int id)';
  // nest(d) opens d + 1 blocks (the function body, then d ifs): MAX_BLOCK_DEPTH exactly is read
  const within = nest(MAX_BLOCK_DEPTH - 1, ['virtfn->no_command_memory = 1;'], () => 'x');
  const read = factsOf(heading, within.before, within.inner, within.after);
  assert.equal(read.post.unread, undefined);
  assert.equal(read.post.unexplained.length + read.post.setters.length > 0, true, 'the marker is seen');
  const deep = nest(MAX_BLOCK_DEPTH + 1, ['virtfn->no_command_memory = 1;'], () => 'x');
  const f = factsOf(heading, deep.before, deep.inner, deep.after);
  assert.match(
    f.post.unread ?? '',
    new RegExp(`nests blocks ${MAX_BLOCK_DEPTH + 2} deep \\(vfio-lens reads at most ${MAX_BLOCK_DEPTH}\\)`),
  );
  assert.deepEqual([f.post.setters, f.post.decisions, f.post.unexplained], [[], [], []]);
  assert.equal(f.post.image.length, deep.before.length + deep.inner.length + deep.after.length);
});

test('the analysis names a hunk it did not read, on its @@ line', async () => {
  await initAnalysis();
  const deep = nest(MAX_BLOCK_DEPTH + 1, ['return pdev->is_virtfn;'], () => 'x');
  const text = [
    '--- a/drivers/vfio/pci/vfio_pci_config.c',
    '+++ b/drivers/vfio/pci/vfio_pci_config.c',
    `@@ -1,1 +1,${deep.before.length + 2 + deep.after.length} @@ bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)`,
    ' int x;',
    ...[...deep.before, ...deep.inner, ...deep.after].map((l) => '+' + l),
    '',
  ].join('\n');
  const problems = analyzeText(text, { file: 'deep.patch' }).result.findings.filter(
    (f) => f.code === 'read-problem',
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0].range.start.line, 2);
  assert.match(
    problems[0].message,
    /^this hunk of drivers\/vfio\/pci\/vfio_pci_config\.c was not read as C: its C nests blocks/,
  );
});
