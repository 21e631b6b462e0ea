/** The status bar's words for a document's status. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { documentStatusText } from '../../../client/src/documentStatusText';
import type { DocumentStatus } from '../../../server/src/lsp/protocol';

const base: DocumentStatus = {
  uri: 'file:///x.mbox',
  version: 1,
  state: 'analysed',
  baseline: {
    kernel: 'v5.8',
    how: 'detected',
    detectedFrom: 'the pre-image of drivers/vfio/pci/vfio_pci_config.c',
  },
  patches: 1,
  changedDevices: ['s390-vf-detached'],
  findings: { error: 0, warning: 1, information: 2, hint: 0 },
};

describe('the status bar text', () => {
  test('the baseline and how it was chosen; counts in the tooltip', () => {
    const t = documentStatusText(base);
    assert.equal(t?.text, 'vfio-lens: v5.8 (detected)');
    assert.equal(
      t?.tooltip,
      'Baseline v5.8, detected from the pre-image of drivers/vfio/pci/vfio_pci_config.c; 1 patch, 3 findings. Click: show the output.',
    );
    assert.equal(
      documentStatusText({ ...base, patches: 2, baseline: { kernel: 'v5.10', how: 'set', detectedFrom: '' } })
        ?.text,
      'vfio-lens: v5.10 (set)',
    );
  });

  test('nothing for text that is no patch; what went wrong for a failed or skipped one', () => {
    assert.equal(documentStatusText({ ...base, state: 'not-a-patch' }), undefined);
    const big = documentStatusText({
      ...base,
      state: 'too-large',
      message: '5000000 bytes, over vfioLens.maxDocumentSize (4194304)',
    });
    assert.equal(big?.text, '$(warning) vfio-lens: not analysed');
    assert.match(big?.tooltip ?? '', /over vfioLens\.maxDocumentSize/);
    assert.equal(documentStatusText({ ...base, state: 'c-source' })?.text, 'vfio-lens: C lints');
  });
});
