/**
 * Hovers on the config-space names a patch uses (issue 11): a register or bit name under the
 * cursor shows how each kernel's permission tables treat it, from the compiled tables; the
 * document's baseline is marked; a name the register table does not hold gets no such hover.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { initAnalysis } from '../../../server/src/analysis/index';
import { configNameMarkdown } from '../../../server/src/analysis/configHover';
import { hoverAt } from '../../../server/src/lsp/hover';

before(() => initAnalysis());

const doc = (text: string) => TextDocument.create('file:///t.patch', 'vfio-patch', 1, text);
const hoverText = (text: string, character: number): string => {
  const h = hoverAt(doc(text), { line: 0, character }, undefined);
  return h ? (h.contents as { value: string }).value : '';
};

test('READRQ: written to the hardware in v3.6, virtualized and handed to vfio_exp_config_write from v4.19', () => {
  const line = '+\tp_setw(perm, PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_READRQ, ~PCI_EXP_DEVCTL_PHANTOM);';
  const md = hoverText(line, line.indexOf('READRQ'));
  assert.match(md, /^\*\*PCI_EXP_DEVCTL_READRQ\*\* — config space \(pci_regs\.h: 0x7000\)/);
  assert.match(md, /\| v3\.6 \| EXP row at PCI_EXP_DEVCTL: a write reaches the hardware/);
  assert.match(
    md,
    /\| v4\.19 – \S+ \| EXP row at PCI_EXP_DEVCTL: virtualized: a write is kept in vconfig, through vfio_exp_config_write/,
  );
});

test("a register shows each row's masks; the baseline is marked", () => {
  const md = configNameMarkdown('PCI_PM_CTRL', 'v5.8')!;
  assert.match(
    md,
    /\| v4\.19 – v5\.10 \(baseline v5\.8\) \| PM row: virtualized 0x0, written to hardware 0xfffffffc/,
  );
  assert.match(md, /\| v5\.19 – \S+ \| PM row: virtualized 0x8100/);
});

test('no config hover for a name outside the register table, or for a knowledge-base symbol', () => {
  assert.equal(configNameMarkdown('vdev', 'v5.8'), undefined);
  assert.equal(hoverText('+\tint pos = PCI_NOT_A_REGISTER;', 14), '');
  // is_virtfn has its own entry: the knowledge base answers
  assert.doesNotMatch(hoverText('+\tif (pdev->is_virtfn)', 14), /config space \(pci_regs/);
});
