/** Comparing kernels: the s390 regression, self-comparison, unknown identifiers, patch-defined flags. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { comparePolicies, kernelSpec, simulateScript } from '../../../server/src/analysis/modelRuns';
import { KERNEL_IDS, kindsOf, type PolicySpec } from '../../../server/src/model/index';
import { explorePair as walkSystems } from '../../../server/src/model/core/explore';
import { exploration, explorePair, internalObservation } from '../../../server/src/model/compare';
import { PolicySystem, policySystem } from '../../../server/src/model/system';
import { policyOf } from '../../../server/src/analysis/modelRuns';

before(async () => {
  await initCParser();
});

describe('v5.8 against v5.10', () => {
  test('finds the s390 regression: a detached s390 VF blocked at open before v5.10, not after, in at most two steps', () => {
    const { differences } = comparePolicies('v5.8', 'v5.10', { device: 's390-vf-detached' });
    const regression = differences.find(
      (d) =>
        d.steps.length <= 2 &&
        d.steps[0] === 'open' &&
        ['EIO', 'SIGBUS'].includes(d.before[d.steps.length - 1].outcome ?? '') &&
        d.after[d.steps.length - 1].outcome === 'ok',
    );
    assert.ok(regression, JSON.stringify(differences.map((d) => d.steps)));
    assert.equal(regression.before.length, regression.steps.length);
    assert.equal(regression.after.length, regression.steps.length);
    const why = regression.before[regression.steps.length - 1].why.find(
      (w) => w.decision === 'memory-enabled',
    );
    assert.ok(why && why.result === 0, 'the blocked side explains the memory-enabled decision');
    assert.ok(why.operands.some((o) => o.name === 'pdev->is_virtfn' && o.value === 0));
  });

  test('finds no difference at all for pf', () => {
    assert.deepEqual(comparePolicies('v5.8', 'v5.10', { device: 'pf' }).differences, []);
  });

  test('over all device kinds, differences appear only for the s390 VFs that are not linked', () => {
    const devices = new Set(comparePolicies('v5.8', 'v5.10', {}).differences.map((d) => d.device));
    assert.deepEqual([...devices].sort(), ['s390-vf-detached', 's390-vf-noiov']);
  });

  test('no reported sequence extends another reported one that already differs', () => {
    const { differences } = comparePolicies('v5.7', 'v5.8-rc1', {});
    const keys = new Set(differences.map((d) => `${d.device}:${d.steps.join(';')}`));
    for (const d of differences) {
      for (let n = 1; n < d.steps.length; n++) {
        assert.ok(!keys.has(`${d.device}:${d.steps.slice(0, n).join(';')}`), d.steps.join(';'));
      }
    }
  });
});

describe('comparing a variant with itself', () => {
  for (const id of KERNEL_IDS) {
    test(`${id} with itself finds nothing, visible or internal`, () => {
      assert.deepEqual(comparePolicies(id, id, {}).differences, []);
      assert.deepEqual(comparePolicies(id, id, { internal: true }).differences, []);
    });
  }

  // explorePair walks one system against itself once: the internal walk is the visible one's size
  for (const id of ['v5.8', 'v6.15', 'mainline']) {
    test(`${id} with itself: the internal walk's size is a fresh internal walk's`, () => {
      const p = policyOf(id);
      for (const how of [exploration('command'), exploration('config')]) {
        for (const device of kindsOf(how.story)) {
          const options = { part: how.part, depth: how.depth };
          const visible = explorePair(p, p, device, options);
          const internal = explorePair(p, p, device, { ...options, internal: true });
          const fresh = new PolicySystem(p, device);
          const walked = walkSystems(fresh, fresh, {
            depth: how.depth,
            alphabet: how.alphabet(device, p, p),
            observe: internalObservation,
          });
          assert.deepEqual(walked.differences, []);
          const size = { states: walked.stats.states, transitions: walked.stats.transitions };
          const shown = (r: typeof internal) => ({
            states: r.stats.states,
            transitions: r.stats.transitions,
          });
          assert.deepEqual(shown(internal), size, `${how.part} on ${device.id}`);
          assert.deepEqual(shown(visible), size, `${how.part} on ${device.id}`);
        }
      }
    });
  }
});

describe('only the differences asked for (the analysis)', () => {
  test('a device that cannot tell two policies apart is not walked; one that can is, as without the option', () => {
    const v58 = policyOf('v5.8');
    // another spec with v5.8's decisions: the same system on every device
    const same = policyOf({ ...kernelSpec('v5.8'), id: 'v5.8-again', label: 'v5.8 again' });
    const v510 = policyOf('v5.10');
    for (const device of kindsOf('command-register')) {
      assert.equal(policySystem(v58, device), policySystem(same, device), device.id);
      // each at a depth no other test of this file walks: a walk made earlier (the same system
      // against itself, or this pair) is remembered and answers whether or not it is needed
      const skipped = explorePair(v58, same, device, { depth: 5, differencesOnly: true });
      assert.deepEqual(skipped.differences, [], device.id);
      assert.equal(skipped.stats.cut, 'not walked', device.id);
      // what was not walked is not remembered as the walk: asked with its size, it is walked
      const walked = explorePair(v58, same, device, { depth: 5 });
      assert.equal(walked.stats.cut, undefined, device.id);
      assert.ok(walked.stats.states > 1 && walked.stats.transitions > 0, device.id);

      const only = explorePair(v58, v510, device, { depth: 3, differencesOnly: true });
      const full = explorePair(v58, v510, device, { depth: 3 });
      assert.equal(only.stats.cut, full.stats.cut, device.id);
      assert.deepEqual(only.differences, full.differences, device.id);
      // the s390 regression is among them: the option skips no device the policies differ on
      if (device.id === 's390-vf-detached') assert.notEqual(only.differences.length, 0);
    }
  });
});

test('--internal adds the restore that returns early (v5.8 vs v4-dev_flags on a VF)', () => {
  assert.deepEqual(comparePolicies('v5.8', 'v4-dev_flags', { device: 'vf' }).differences, []);
  const internal = comparePolicies('v5.8', 'v4-dev_flags', { device: 'vf', internal: true }).differences;
  const skipped = internal.find((d) => d.before[d.steps.length - 1].restore === 'skipped');
  assert.ok(skipped, 'a restore called and returning early on v5.8');
  assert.equal(skipped.internalOnly, true);
  assert.equal(skipped.after[skipped.steps.length - 1].restore, 'none');
});

function patched(
  base: PolicySpec,
  changes: Partial<PolicySpec['decisions']>,
  extra: Partial<PolicySpec> = {},
): PolicySpec {
  return { ...base, id: 'patched', label: 'patched', decisions: { ...base.decisions, ...changes }, ...extra };
}

describe('identifiers the model does not know', () => {
  const mystery = patched(kernelSpec('v5.10'), {
    'memory-enabled': 'pdev->mystery_bit || (cmd & PCI_COMMAND_MEMORY)',
  });

  test('exploration follows both values and reports the dependency', () => {
    const { differences } = comparePolicies('v5.10', mystery, { device: 'vf', depth: 3 });
    const cleared = differences.find((d) => d.steps.join(';') === 'open;write-cmd 0x0000;mmio-read');
    assert.ok(cleared, JSON.stringify(differences.map((d) => d.steps)));
    assert.deepEqual(cleared.dependsOn, ['pdev->mystery_bit']);
    assert.deepEqual(cleared.assumptions, { 'pdev->mystery_bit': 0 });
    assert.equal(cleared.before[2].outcome, 'ok');
    assert.equal(cleared.after[2].outcome, 'EIO');
    assert.deepEqual(cleared.after[2].dependsOn, ['pdev->mystery_bit']);
  });

  test('a difference found under both values does not depend on the identifier', () => {
    const { differences } = comparePolicies('v5.8', mystery, { device: 's390-vf-detached', depth: 2 });
    const open = differences.find((d) => d.steps.join(';') === 'open;mmio-read');
    assert.ok(open);
    assert.equal(open.dependsOn, undefined);
  });

  test('a script forks into both branches, the first assuming 0', () => {
    const r = simulateScript('vf', mystery, 'open; write-cmd 0x0000; mmio-read');
    assert.equal(r.branches?.length, 2);
    assert.deepEqual(
      r.branches?.map((b) => [b.assumptions['pdev->mystery_bit'], b.trace[2].outcome]),
      [
        [0, 'EIO'],
        [1, 'ok'],
      ],
    );
    assert.equal(r.trace[2].outcome, 'EIO');
  });

  test('C text the parser cannot read is an unknown operand, explored both ways', () => {
    const broken = patched(kernelSpec('v5.10'), { 'read-or-in': 'offset == PCI_COMMAND && (' });
    const r = simulateScript('pf', broken, 'open; read-cmd');
    assert.equal(r.branches?.length, 2);
    assert.ok(r.trace[1].dependsOn?.[0].includes('offset == PCI_COMMAND'));
  });
});

describe('a PolicySpec built from a patch runs like a built-in variant', () => {
  test('a patch-defined dev_flags bit works by name, without its value', () => {
    const flag = 'PCI_DEV_FLAGS_NO_COMMAND_MEMORY';
    const v5 = kernelSpec('v5.10');
    const byFlag: PolicySpec = {
      ...v5,
      id: 'dev-flags-renamed',
      label: 'renamed flag',
      decisions: {
        'memory-enabled': `(pdev->dev_flags & ${flag}) || (cmd & PCI_COMMAND_MEMORY)`,
        'read-or-in': `offset == PCI_COMMAND && (vdev->pdev->dev_flags & ${flag})`,
        'restore-condition': `(new_mem && virt_mem && !phys_mem && !(pdev->dev_flags & ${flag})) || (new_io && virt_io && !phys_io) || vfio_need_bar_restore(vdev)`,
        'restore-skip': 'pdev->is_virtfn',
        'init-force-memory': `pdev->dev_flags & ${flag}`,
      },
      markers: v5.markers.map((m) =>
        m.marker === 'no_command_memory' ? { ...m, marker: `dev_flags:${flag}` } : m,
      ),
    };
    assert.deepEqual(comparePolicies('v5.10', byFlag, {}).differences, []);
    assert.notDeepEqual(comparePolicies('v5.8', byFlag, {}).differences, []);
  });

  test('a patch that drops the s390 setter brings the regression back', () => {
    const v5 = kernelSpec('v5.10');
    const noS390 = {
      ...v5,
      id: 'no-s390',
      markers: v5.markers.filter((m) => !m.path.startsWith('s390-pcibios')),
    };
    const { differences } = comparePolicies('v5.10', noS390, { device: 's390-vf-detached', depth: 2 });
    assert.ok(
      differences.some((d) => d.steps.join(';') === 'open;mmio-read' && d.after[1].outcome === 'EIO'),
    );
  });
});
