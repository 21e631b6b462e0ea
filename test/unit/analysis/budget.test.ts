/**
 * The analysis budget (vfioLens.analysisBudgetMs) is checked inside the explorations, not only
 * between patches (issue 13): past it the analysis returns what it has and one analysis-budget
 * finding says where it stopped and which patches were not compared. No timing is asserted: a
 * budget of 1 ms runs out somewhere in the series, and wherever it does, it is said.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { sharedMissing } from '../../support/shared';
import { seed } from './support';

test(
  'a budget that runs out says so at its place, naming the patches left out',
  { skip: sharedMissing() },
  async () => {
    await initAnalysis();
    const text = fs.readFileSync(seed('002_'), 'utf8');
    const whole = analyzeText(text, { file: 's.mbox' }).result.findings;
    assert.equal(whole.filter((f) => f.code === 'analysis-budget').length, 0);
    const cut = analyzeText(text, { file: 's.mbox', budgetMs: 1 }).result.findings;
    const notes = cut.filter((f) => f.code === 'analysis-budget');
    assert.equal(notes.length, 1, JSON.stringify(notes));
    // the comparison stopped (which patches it left out), or already the reading (which hunk on),
    // then the comparison too; the config space's comparison adds what it left out: one note
    const config =
      /(; the config space of unit \d+ of \d+ and later ones was compared in part or not at all)?/.source;
    const compared =
      /(patch \d+ was compared in part \(its findings are those found until then\)(; patch(es \d+\.\.\d+ were| \d+ was) not compared)?|patch(es \d+\.\.\d+ were| \d+ was) not compared)/
        .source;
    assert.match(
      notes[0].message,
      new RegExp(
        `^(analysis stopped after 1 ms \\(vfioLens\\.analysisBudgetMs\\): ${compared}|` +
          `analysis stopped reading after 1 ms \\(50% of vfioLens\\.analysisBudgetMs, 1 ms\\): this hunk of \\S+ ` +
          `and those after it were not read( for the config-space model)?(; ${compared})?)${config}$`,
      ),
    );
    const behaviour = (fs: typeof whole) => fs.filter((f) => f.code === 'behaviour-change').length;
    assert.ok(behaviour(cut) < behaviour(whole), `${behaviour(cut)} of ${behaviour(whole)}`);
    // what it has is real: every behaviour finding of the cut analysis is one of the whole one's
    const key = (f: (typeof whole)[number]) => `${f.range.start.line}:${f.decision}`;
    const all = new Set(whole.map(key));
    for (const f of cut.filter((f) => f.code === 'behaviour-change')) assert.ok(all.has(key(f)), key(f));
  },
);

test('past its share of the budget the reading of the hunks stops, and the note stands on the first hunk not read', async () => {
  await initAnalysis();
  const lines = ['--- a/drivers/vfio/pci/vfio_pci_config.c', '+++ b/drivers/vfio/pci/vfio_pci_config.c'];
  for (let i = 0; i < 2000; i++)
    lines.push(
      `@@ -${10 * i + 1},1 +${10 * i + 1},1 @@ static int vfio_fn_${i}(struct vfio_pci_core_device *vdev)`,
      `-\treturn vdev->f${i};`,
      `+\treturn vdev->g${i};`,
    );
  const text = lines.join('\n') + '\n';
  const docLines = text.split('\n');
  const { findings } = analyzeText(text, { file: 'many.patch', budgetMs: 1 }).result;
  const notes = findings.filter((f) => f.code === 'analysis-budget');
  assert.equal(notes.length, 1, JSON.stringify(notes));
  assert.match(
    notes[0].message,
    /^analysis stopped reading after 1 ms \(50% of vfioLens\.analysisBudgetMs, 1 ms\): this hunk of drivers\/vfio\/pci\/vfio_pci_config\.c and those after it were not read/,
  );
  assert.ok(docLines[notes[0].range.start.line].startsWith('@@ '), docLines[notes[0].range.start.line]);
  // nothing is said of the hunks not read: no finding after the note's hunk
  for (const f of findings) assert.ok(f.range.start.line <= notes[0].range.start.line + 2, f.message);
});
