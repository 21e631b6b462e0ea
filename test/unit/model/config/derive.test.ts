/** deriveConfigVariant: edits applied to a variant by value, the table defaults, and refusals naming the edit. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import { initCParser } from '../../../../server/src/csrc/treeSitter';
import {
  ConfigCompileError,
  configVariant,
  deriveConfigVariant,
  type ConfigEdit,
} from '../../../../server/src/model/vfio/config';

const meta = { id: 'd', label: 'd', description: 'derived', commit: 'test' };
const derive = (base: string, edits: ConfigEdit[]) =>
  deriveConfigVariant(configVariant(base)!, edits, meta, parseCExpression);

describe('deriveConfigVariant', () => {
  before(() => initCParser());

  test('no edits: the same content under the new name, with the commit added', () => {
    const d = derive('v5.10', []);
    const base = configVariant('v5.10')!;
    assert.deepEqual(
      {
        ...d,
        id: base.id,
        label: base.label,
        status: base.status,
        description: base.description,
        commits: base.commits,
      },
      base,
    );
    assert.deepEqual(d.commits, [...base.commits, 'test']);
  });

  test('a row is matched by the value of its offset (4 is PCI_PM_CTRL) and replaced', () => {
    const row = { width: 4 as const, offset: '4', virt: 'PCI_PM_CTRL_PME_ENABLE', write: 'NO_WRITE' };
    const d = derive('v5.10', [{ kind: 'perm-row', cap: 'PM', offset: '4', width: 4, when: null, row }]);
    const pm = d.perms.find((p) => p.cap === 'PM')!;
    assert.equal(pm.rows.length, 2);
    assert.deepEqual(pm.rows[1], row);
  });

  test('a row removed; a length removed; a decision set; a Command-register decision overridden', () => {
    const d = derive('mainline', [
      { kind: 'perm-row', cap: 'PM', offset: 'PCI_PM_PMC', width: 2, when: null, row: null },
      { kind: 'length', space: 'std', id: 0x13, text: null },
      { kind: 'decision', decision: 'pin-zero', text: 'vdev->nointx' },
      { kind: 'command', decision: 'memory-enabled', text: 'cmd & PCI_COMMAND_MEMORY' },
    ]);
    assert.ok(!d.perms.find((p) => p.cap === 'PM')!.rows.some((r) => r.offset === 'PCI_PM_PMC'));
    assert.equal(d.capLengths[0x13], undefined);
    assert.equal(d.decisions['pin-zero'], 'vdev->nointx');
    assert.equal(d.commandOverrides?.['memory-enabled'], 'cmd & PCI_COMMAND_MEMORY');
  });

  test('alloc_perm_bits installs the default functions; an entry back at the table default is dropped', () => {
    const d = derive('mainline', [
      { kind: 'perm-entry', cap: 'ext PASID', field: 'alloc', value: 'PCI_EXT_CAP_PASID_SIZEOF' },
    ]);
    const p = d.perms.find((x) => x.cap === 'ext PASID')!;
    assert.deepEqual([p.readfn, p.writefn], ['vfio_default_config_read', 'vfio_default_config_write']);
    const gone = derive('v6.4', [{ kind: 'perm-entry', cap: 'ext DVSEC', field: 'writefn', value: null }]);
    assert.equal(
      gone.perms.find((x) => x.cap === 'ext DVSEC'),
      undefined,
    );
  });

  test('the table bound is raised, never lowered, by an "at least" edit', () => {
    assert.equal(
      derive('v5.19', [{ kind: 'id-max', space: 'ext', value: 0x23, atLeast: true }]).rules.ecapIdMax,
      0x23,
    );
    assert.equal(
      derive('v6.4', [{ kind: 'id-max', space: 'ext', value: 0x10, atLeast: true }]).rules.ecapIdMax,
      0x23,
    );
  });

  test('names the model does not know are refused, naming the edit', () => {
    assert.throws(
      () =>
        derive('mainline', [
          { kind: 'perm-entry', cap: 'ext NOPE', field: 'writefn', value: 'vfio_raw_config_write' },
        ]),
      (e) => e instanceof ConfigCompileError && /capability "ext NOPE"/.test(e.message),
    );
    assert.throws(
      () => derive('mainline', [{ kind: 'perm-entry', cap: 'PM', field: 'writefn', value: 'my_write' }]),
      /write function "my_write"/,
    );
    assert.throws(
      () => derive('mainline', [{ kind: 'length', space: 'ext', id: 0x1b, text: 'PCI_EXT_CAP_NOPE_SIZEOF' }]),
      /"PCI_EXT_CAP_NOPE_SIZEOF" is not a name/,
    );
  });
});
