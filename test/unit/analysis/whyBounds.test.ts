/**
 * A change explains each side with at most MAX_WHY_TEXT characters of the decision's C (as
 * written and annotated) and MAX_WHY_OPERANDS operands (analysis/attribute.ts): a long decision is
 * cut there and says how long it was in `cut`; the finding's message keeps the whole C once.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_WHY_OPERANDS, MAX_WHY_TEXT } from '../../../server/src/analysis/attribute';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';

const PREDICATE = 'bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)';

/** The memory-enabled decision made `pdev->no_command_memory || pdev->is_virtfn_0 || ... || (cmd & MEMORY)`. */
function longDecision(terms: number): string {
  const unknowns = Array.from({ length: terms }, (_, i) => `pdev->quirk_${i}`).join(' || ');
  return [
    '--- a/drivers/vfio/pci/vfio_pci_config.c',
    '+++ b/drivers/vfio/pci/vfio_pci_config.c',
    `@@ -1,3 +1,3 @@ ${PREDICATE}`,
    ' {',
    '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
    `+\treturn pdev->no_command_memory || ${unknowns} || (cmd & PCI_COMMAND_MEMORY);`,
    ' }',
    '',
  ].join('\n');
}

before(() => initAnalysis());

test('a 200-term decision: every side of every change cut to the bounds, with what was cut', () => {
  const text = longDecision(200);
  const { result } = analyzeText(text, { file: 'long.patch' });
  const changes = result.findings.filter((f) => f.code === 'behaviour-change');
  assert.ok(changes.length > 0);
  let cut = 0;
  for (const f of changes) {
    assert.ok(f.message.includes('pdev->quirk_199'), 'the message holds the whole C once');
    for (const c of f.changes)
      for (const side of [c.before, c.after])
        for (const w of side.why) {
          assert.ok(w.expression.length <= MAX_WHY_TEXT + 40, `${w.expression.length}`);
          assert.ok(w.text.length <= MAX_WHY_TEXT + 40, `${w.text.length}`);
          assert.ok(w.operands.length <= MAX_WHY_OPERANDS);
          if ('cut' in w && w.cut) {
            cut++;
            assert.ok(w.cut.expression > MAX_WHY_TEXT);
            assert.match(w.expression, new RegExp(`… \\(${w.cut.expression} characters in all\\)$`));
          }
        }
  }
  assert.ok(cut > 0, 'some explanation says it was cut');
});

test('a short decision is explained whole: no cut', () => {
  const { result } = analyzeText(longDecision(1), { file: 'short.patch' });
  const whys = result.findings.flatMap((f) => f.changes.flatMap((c) => [...c.before.why, ...c.after.why]));
  assert.ok(whys.length > 0);
  assert.ok(whys.every((w) => !('cut' in w)));
});
