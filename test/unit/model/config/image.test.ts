/**
 * The hardware image of a kind (vfio/config/image.ts): what a function reset leaves. The
 * capability list is read-only hardware; a reset clears what registers hold (BARs, COMMAND,
 * PowerState), never the list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEVICE_KINDS } from '../../../../server/src/model/index';
import { buildImage, registerName } from '../../../../server/src/model/vfio/config/image';

const PCI_STATUS = 0x06;
const PCI_STATUS_CAP_LIST = 0x10;
const PCI_CAPABILITY_LIST = 0x34;
const PCI_COMMAND = 0x04;

test('a function reset keeps the capability list and the capability headers, and clears COMMAND', () => {
  for (const kind of DEVICE_KINDS) {
    const img = buildImage(kind);
    const std = kind.capabilities.filter((c) => c.space === 'std');
    assert.equal(img.reset[PCI_CAPABILITY_LIST], img.bytes[PCI_CAPABILITY_LIST], kind.id);
    assert.equal(img.reset[PCI_STATUS] & PCI_STATUS_CAP_LIST, std.length ? PCI_STATUS_CAP_LIST : 0, kind.id);
    for (const c of kind.capabilities) {
      assert.equal(
        img.reset[c.offset],
        img.bytes[c.offset],
        `${kind.id}: header of cap 0x${c.id.toString(16)}`,
      );
    }
    assert.equal(img.reset[PCI_COMMAND] | img.reset[PCI_COMMAND + 1], 0, kind.id);
  }
});

test('the image is built once per kind, and each byte names the register holding it', () => {
  const kind = DEVICE_KINDS[0];
  assert.equal(buildImage(kind), buildImage(kind));
  const img = buildImage(kind);
  assert.equal(registerName(img, PCI_COMMAND), 'PCI_COMMAND');
  assert.equal(registerName(img, PCI_COMMAND + 1), 'PCI_COMMAND+1');
  assert.equal(registerName(img, img.size + 8), `0x${(img.size + 8).toString(16).padStart(3, '0')}`);
});
