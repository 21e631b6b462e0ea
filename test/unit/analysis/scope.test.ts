/**
 * Quiet where vfio-lens has nothing to say (issue 14, point 10): a hunk outside the models' scope
 * gets no per-line hint, only its count; a bitfield is a marker only when something ties it to
 * what the models read. Inside the scope "not modelled" still holds. Patches written for the test.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { MODEL_SCOPE, outsideScopeText, scopeOf } from '../../../server/src/analysis/scope';

/** A one-hunk patch of `file` in `fn` whose new line uses PCI_COMMAND_MEMORY. */
function commandPatch(file: string, fn: string): string {
  return [
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -10,3 +10,3 @@ static int ${fn}(struct device *dev)`,
    ' \tu32 cmd;',
    '-\tcmd &= ~PCI_COMMAND_IO;',
    '+\tcmd &= ~PCI_COMMAND_MEMORY;',
    ' \treturn 0;',
    '',
  ].join('\n');
}

function bitfieldPatch(field: string, use?: string): string {
  const lines = [
    '--- a/include/linux/pci.h',
    '+++ b/include/linux/pci.h',
    '@@ -440,3 +440,4 @@ struct pci_dev {',
    ' \tunsigned int\tis_virtfn:1;',
    `+\tunsigned int\t${field}:1;`,
    ' \tunsigned int\tis_hotplug_bridge:1;',
  ];
  if (use)
    lines.push(
      '--- a/drivers/vfio/pci/vfio_pci_config.c',
      '+++ b/drivers/vfio/pci/vfio_pci_config.c',
      '@@ -1,3 +1,3 @@ bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)',
      ' {',
      '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
      `+\treturn pdev->${use} || (cmd & PCI_COMMAND_MEMORY);`,
      ' }',
    );
  return lines.join('\n') + '\n';
}

describe('the scope of the models', () => {
  test('rows name files, folders, file families and functions', () => {
    assert.equal(scopeOf('drivers/vfio/pci/vfio_pci_core.c', undefined)?.model, 'vfio-pci');
    assert.equal(scopeOf('hw/s390x/s390-pci-inst.c', 'pcistb_service_call')?.model, 'zpci');
    assert.equal(scopeOf('drivers/pci/pci.c', 'pcie_set_readrq')?.model, 'vfio-pci');
    assert.equal(scopeOf('drivers/pci/pci.c', 'pci_device_is_present'), undefined);
    assert.equal(scopeOf('drivers/pci/controller/dwc/pci-dra7xx.c', 'dra7xx_pcie_suspend'), undefined);
    for (const row of MODEL_SCOPE)
      assert.ok(row.what.length > 0, `${row.path} says what the model reads there`);
  });

  test('a host controller using PCI_COMMAND_MEMORY for its own hardware: no hint, one counted hunk', async () => {
    await initAnalysis();
    const out = analyzeText(commandPatch('drivers/pci/controller/dwc/pci-dra7xx.c', 'dra7xx_pcie_suspend'), {
      file: 't.patch',
    });
    assert.deepEqual(out.result.findings, []);
    assert.deepEqual(out.result.outsideScope, {
      hunks: 1,
      files: ['drivers/pci/controller/dwc/pci-dra7xx.c'],
    });
    assert.equal(
      outsideScopeText(out.result.outsideScope!),
      'outside what vfio-lens models: 1 hunk in 1 file',
    );
  });

  test('the same change inside vfio-pci, in a function the model does not place: "not modelled" stays', async () => {
    await initAnalysis();
    const out = analyzeText(commandPatch('drivers/vfio/pci/vfio_pci_core.c', 'vfio_pci_probe_quirk'), {
      file: 't.patch',
    });
    const hint = out.result.findings.find(
      (f) => f.code === 'unmodeled-change' && f.message.includes('PCI_COMMAND_MEMORY'),
    );
    assert.ok(hint, 'an unmodeled-change hint on the line');
    assert.match(hint.message, /PCI_COMMAND_MEMORY in vfio_pci_probe_quirk/);
    assert.equal(out.result.outsideScope, undefined);
  });

  test('a struct pci_dev bitfield nothing reads is not a marker; one a decision reads is', async () => {
    await initAnalysis();
    const alone = analyzeText(bitfieldPatch('fm_enabled'), { file: 't.patch' });
    assert.ok(!alone.result.findings.some((f) => f.code === 'marker-defined'), 'fm_enabled is no marker');
    const read = analyzeText(bitfieldPatch('vf_cmd_mem', 'vf_cmd_mem'), { file: 't.patch' });
    const defined = read.result.findings.find((f) => f.code === 'marker-defined');
    assert.ok(defined, 'a bitfield the patched decision reads is a marker');
    assert.match(defined.message, /bitfield vf_cmd_mem/);
  });
});
