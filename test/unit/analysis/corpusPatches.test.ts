/** The other proposals of the story (v1, v2, v3), the review thread, and the files that only brush the domain. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { corpusRealFiles, seedFiles, sharedMissing, sharedPath } from '../../support/shared';
import { analyse, anyDevices, behaviour, corpus, hasChange, lineOf, visibleDevices } from './support';

/** The file of vfio-pci's config-space emulation (built, so no line of a real patch is copied). */
const CONFIG_C = 'drivers/vfio/pci/vfio_pci_config.c';

describe('detached_vf proposals against v5.8 (table column d)', { skip: sharedMissing() }, () => {
  test('k02 (v2): only the detached s390 VF changes; CONFIG_PCI_IOV=n VFs stay blocked (5.1 K6 d)', async () => {
    const out = await analyse(corpus('k02_'));
    assert.equal(out.result.baseline.kernel, 'v5.8');
    assert.deepEqual(visibleDevices(out), ['s390-vf-detached']);
    assert.ok(hasChange(out, 's390-vf-detached', ['open', 'mmio-read'], /EIO/, /ok/));
    const decisions = behaviour(out)
      .map((f) => f.decision)
      .sort();
    assert.deepEqual(decisions, ['init-force-memory', 'memory-enabled', 'read-or-in', 'restore-skip']);
    const skip = behaviour(out).find((f) => f.decision === 'restore-skip')!;
    assert.match(lineOf(out.text, skip), /if \(pdev->is_virtfn \|\| pdev->detached_vf\)/);
  });

  test('k04 (v3): the dev_is_vf() macro the patch defines is expanded; same devices as v2', async () => {
    const out = await analyse(corpus('k04_'));
    assert.deepEqual(visibleDevices(out), ['s390-vf-detached']);
    const pred = behaviour(out).find((f) => f.decision === 'memory-enabled')!;
    assert.match(lineOf(out.text, pred), /dev_is_vf\(&pdev->dev\)/);
  });

  test('k01 (v1): only the predicate changes, so MMIO works but COMMAND still reads MEMORY 0', async () => {
    const out = await analyse(corpus('k01_'));
    assert.deepEqual(
      behaviour(out).map((f) => f.decision),
      ['memory-enabled'],
    );
    assert.ok(hasChange(out, 's390-vf-detached', ['open', 'mmio-read'], /EIO/, /ok/));
  });

  test('k06 (review of v4 1/3): the flag is set but nothing reads it yet: no behaviour change', async () => {
    const out = await analyse(corpus('k06_'));
    assert.equal(behaviour(out).length, 0);
    assert.match(out.result.baseline.detectedFrom, /not detected/);
    assert.ok(
      out.result.findings.some((f) => f.code === 'marker-set' && /pci_iov_add_virtfn/.test(f.message)),
    );
  });

  test("k06: Bjorn Helgaas' and Alex Williamson's review comments are attached to the hunks they quote", async () => {
    const out = await analyse(corpus('k06_'));
    for (const code of ['marker-set', 'marker-defined']) {
      const f = out.result.findings.find((x) => x.code === code)!;
      const msgs = f.related.map((r) => r.message);
      assert.ok(
        msgs.some((m) => /^quoted by Bjorn Helgaas$/.test(m)),
        `${code}: ${msgs.join(' | ')}`,
      );
      assert.ok(msgs.some((m) => /^Bjorn Helgaas: This approach seems sensible to me/.test(m)));
      assert.ok(msgs.some((m) => /^Alex Williamson: The usage of MSE threw me/.test(m)));
      const alex = f.related.find((r) => /^Alex Williamson:/.test(r.message))!;
      assert.match(lineOf(out.text, { ...f, range: alex.range }), /The usage of MSE threw me/);
    }
  });
});

describe('s390 PF/VF linking (e5794cf1a270, corpus k10)', { skip: sharedMissing() }, () => {
  test('is_virtfn set for every zPCI VF in zpci_bus_setup_virtfn, physfn only when linked: the lint fires there', async () => {
    const out = await analyse(corpus('k10_'));
    const lints = out.result.findings.filter((f) => f.code === 'is-virtfn-without-physfn');
    assert.equal(lints.length, 2, 'the CONFIG_PCI_IOV=y function and its =n stub');
    for (const l of lints) {
      assert.equal(l.function, 'zpci_bus_setup_virtfn');
      assert.match(lineOf(out.text, l), /virtfn->is_virtfn = 1;/);
    }
  });

  test('the unlinked s390 VFs it marks change behaviour (the kernel code, not the linked-only summary)', async () => {
    const out = await analyse(corpus('k10_'));
    assert.deepEqual(visibleDevices(out), ['s390-vf-detached', 's390-vf-noiov']);
    const set = out.result.findings.find(
      (f) => f.code === 'marker-set' && /is_virtfn in zpci_bus_setup_virtfn/.test(f.message),
    )!;
    assert.match(set.message, /carried by s390-vf-linked, s390-vf-detached, s390-vf-noiov/);
  });
});

describe('changes that are not behaviour changes', { skip: sharedMissing() }, () => {
  const incidental = () => corpusRealFiles().filter((f) => /^(n|q|w)\d/.test(f));

  test('files that touch the keywords only incidentally (n*, q*, w*) give no vfio-pci behaviour-change finding', async () => {
    await initAnalysis();
    const files = incidental();
    assert.ok(files.length >= 20, `found ${files.length} incidental files`);
    for (const f of files) {
      const out = analyzeText(fs.readFileSync(sharedPath('corpus', 'real', f), 'utf8'), { file: f });
      // The zPCI model's cases (q02, q07, q09 change QEMU's zPCI checks) are tested in zpciCorpus.test.ts.
      assert.deepEqual(anyDevices(out, 'vfio-pci'), [], `${f} has no vfio-pci behaviour change`);
    }
  });

  test('a pure struct rename and a file rename produce no behaviour change', async () => {
    await initAnalysis();
    const rename = [
      'diff --git a/drivers/vfio/pci/vfio_pci.c b/drivers/vfio/pci/vfio_pci_core.c',
      'similarity index 100%',
      'rename from drivers/vfio/pci/vfio_pci.c',
      'rename to drivers/vfio/pci/vfio_pci_core.c',
      `diff --git a/${CONFIG_C} b/${CONFIG_C}`,
      '--- a/drivers/vfio/pci/vfio_pci_config.c',
      '+++ b/drivers/vfio/pci/vfio_pci_config.c',
      '@@ -400,9 +400,9 @@ static int vfio_default_config_write(struct vfio_pci_device *vdev, int pos,',
      '-bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)',
      '+bool __vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev)',
      ' {',
      ' \tstruct pci_dev *pdev = vdev->pdev;',
      ' \tu16 cmd = le16_to_cpu(*(__le16 *)&vdev->vconfig[PCI_COMMAND]);',
      ' ',
      '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
      '+\treturn pdev->is_virtfn ||',
      '+\t       (cmd & PCI_COMMAND_MEMORY);',
      ' }',
      ' ',
      '',
    ].join('\n');
    const out = analyzeText(rename, { file: 'rename.diff' });
    assert.equal(out.result.baseline.kernel, 'v5.8');
    assert.equal(behaviour(out).length, 0);
  });
});

describe('robustness', { skip: sharedMissing() }, () => {
  test('every corpus and seed file is analysed without throwing', async () => {
    await initAnalysis();
    const files = [
      ...corpusRealFiles().map((f) => sharedPath('corpus', 'real', f)),
      ...seedFiles().map((f) => sharedPath('seeds', f)),
    ];
    assert.ok(files.length >= 50);
    for (const f of files) {
      const out = analyzeText(fs.readFileSync(f, 'utf8'), { file: path.basename(f) });
      assert.ok(Array.isArray(out.result.findings), path.basename(f));
    }
  });

  test('bad input gives read problems, not a crash', async () => {
    await initAnalysis();
    for (const text of [
      '',
      '\u0000\u0001garbage',
      '@@ -1,3 +1,3 @@\n-x\n',
      'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,7 +1,7 @@ f(\n-a\n+b\n',
    ]) {
      const out = analyzeText(text, { file: 'bad' });
      assert.ok(Array.isArray(out.result.findings));
    }
  });
});
