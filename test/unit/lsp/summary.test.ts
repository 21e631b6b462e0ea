/**
 * The reply summary (issue 14, point 5): what a maintainer pastes, at most SUMMARY_LINES lines:
 * patch, function and file, device, before -> after; the rest counted, never silently dropped.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { SUMMARY_LINES, behaviourSummary } from '../../../server/src/lsp/summary';
import { sample } from '../analysis/support';

/** The sample's analysis with its behaviour findings repeated n times (the summary's own input). */
async function repeated(n: number) {
  await initAnalysis();
  const { result } = analyzeText(fs.readFileSync(sample('sample-series.mbox'), 'utf8'), { file: 's.mbox' });
  const behaviour = result.findings.filter((f) => f.kind === 'behaviour-change');
  const findings = Array.from({ length: n }, () => behaviour).flat();
  return { result: { ...result, findings } };
}

describe('the reply summary', () => {
  test('the sample series: the patch, each function and file, a device and its before -> after', async () => {
    await initAnalysis();
    const out = analyzeText(fs.readFileSync(sample('sample-series.mbox'), 'utf8'), { file: 's.mbox' });
    const text = behaviourSummary(out);
    const lines = text.trimEnd().split('\n');
    assert.ok(lines.length <= SUMMARY_LINES, text);
    assert.match(lines[0], /^vfio-lens: baseline v5\.8 \(detected from the pre-images\)$/);
    assert.match(text, /^\[PATCH v1 3\/3\] vfio\/pci: ask the device bit instead of is_virtfn$/m);
    assert.match(text, /^ {2}- __vfio_pci_memory_enabled\(\) in drivers\/vfio\/pci\/vfio_pci_config\.c:$/m);
    assert.match(text, /s390-vf-detached: open; mmio-read: EIO -> ok \(and \d+ more cases\)/);
    assert.doesNotMatch(text, /mmio-read: mmio-read|line \d+|\[behaviour-change\]|`/);
    for (const l of lines) assert.ok(l.length <= 72, `wrapped: ${l}`);
  });

  test('many findings: cut at the line budget, and the rest counted', async () => {
    const out = await repeated(10);
    const behaviour = out.result.findings.length;
    assert.ok(behaviour > 12, `${behaviour} behaviour findings`);
    const text = behaviourSummary(out);
    const lines = text.trimEnd().split('\n');
    assert.ok(lines.length <= SUMMARY_LINES, text);
    const shown = lines.filter((l) => l.startsWith('  - ')).length;
    const left = Number(/\((\d+) more finding\(s\)/.exec(text)?.[1]);
    assert.equal(shown + left, behaviour, 'every finding shown or counted');
  });

  test('nothing changed: said in what vfio-lens models, with what it does not model counted', async () => {
    await initAnalysis();
    const host = [
      '--- a/drivers/pci/controller/pci-host.c',
      '+++ b/drivers/pci/controller/pci-host.c',
      '@@ -1,2 +1,2 @@ static void host_init(void)',
      '-\tcmd |= PCI_COMMAND_IO;',
      '+\tcmd |= PCI_COMMAND_MEMORY;',
      ' }',
      '',
    ].join('\n');
    const text = behaviourSummary(analyzeText(host, { file: 'h.diff' }));
    assert.match(text, /^Behaviour: no change in what vfio-lens models\.$/m);
    assert.match(text, /outside what vfio-lens models: 1 hunk in 1 file/);
  });
});
