/**
 * A patched policy's system takes the steps of its base's that take no decision the patch changed
 * (PolicySystem.reusing): the walk must find exactly what a system computing every step finds,
 * and it must take some steps from the base (else the reuse is dead code).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { kernelSpec, policyOf } from '../../../server/src/analysis/modelRuns';
import { DEVICE_KINDS, kindsOf, type PolicySpec } from '../../../server/src/model/index';
import { explorePair } from '../../../server/src/model/core/explore';
import { internalObservation, visibleObservation } from '../../../server/src/model/compare';
import { EXPLORATION_ALPHABET } from '../../../server/src/model/steps';
import { PolicySystem } from '../../../server/src/model/system';
import { configAlphabet } from '../../../server/src/model/vfio/config/system';
import type { DeviceKind } from '../../../server/src/model/types';

before(async () => {
  await initCParser();
});

/** v5.8 with one decision rewritten (and the setters it may need). */
function patched(changes: Partial<PolicySpec['decisions']>, markers?: PolicySpec['markers']): PolicySpec {
  const base = kernelSpec('v5.8');
  return {
    ...base,
    id: 'patched',
    label: 'patched',
    decisions: { ...base.decisions, ...changes },
    markers: markers ?? base.markers,
  };
}

const v58 = kernelSpec('v5.8');
const PATCHES: [string, PolicySpec][] = [
  [
    'restore-skip also for a detached VF (k01/k02)',
    patched({ 'restore-skip': 'pdev->is_virtfn || pdev->detached_vf' }, [
      ...v58.markers,
      { path: 's390-zpci_bus_add_device', marker: 'detached_vf', condition: '!zdev->is_physfn' },
    ]),
  ],
  ['memory-enabled without the VF test', patched({ 'memory-enabled': 'cmd & PCI_COMMAND_MEMORY' })],
  // open makes another layout (vconfig's COMMAND): a state's bytes mean something else under it
  ['vfio_config_init no longer forces MEMORY on a VF', patched({ 'init-force-memory': '0' })],
  // open makes the same layout by another text: the states after it are the base's
  ['init-force-memory rewritten to the same value', patched({ 'init-force-memory': '!!pdev->is_virtfn' })],
];

/**
 * What a walk found, as text: its size and each sequence with both internal observations; the
 * walk compares what a user sees (it goes on past an open that made another vconfig) or also what
 * only the kernel sees.
 */
function walk(a: PolicySystem, b: PolicySystem, internal = false, config = false): string[] {
  const observe = internal ? internalObservation : visibleObservation;
  const r = config
    ? explorePair(a, b, {
        depth: 3,
        alphabet: configAlphabet(a.device, [a.policy.spec.config, b.policy.spec.config]),
        observe,
      })
    : explorePair(a, b, { depth: 4, alphabet: EXPLORATION_ALPHABET, observe });
  return [
    `${r.stats.states} states, ${r.stats.transitions} transitions`,
    ...r.differences.map(
      (d) =>
        `${d.steps.map((s) => s.text).join('; ')}: ${internalObservation(d.before)} -> ${internalObservation(d.after)}`,
    ),
  ];
}

/** v5.8 with config decisions rewritten (the config part's tables stay v5.8's). */
function configPatched(changes: Record<string, string | null>): PolicySpec {
  const base = kernelSpec('v5.8');
  return {
    ...base,
    id: 'config-patched',
    label: 'config-patched',
    config: { ...base.config, decisions: { ...base.config.decisions, ...changes } },
  };
}

const COMMAND_KINDS = DEVICE_KINDS.filter((d) => d.stories.includes('command-register'));
/** The config-space kinds of the Command story, and one with a PCIe capability of each function kind. */
const CONFIG_KINDS = kindsOf('config-space').filter((d) =>
  ['pf', 'vf', 'pf-pcie', 'vf-pcie', 'no-irq'].includes(d.id),
);

const CONFIG_PATCHES: [string, PolicySpec][] = [
  // a VF's vendor and device ids are no longer virtualised: reads of them change on a VF only
  ['vf-ids false of every device', configPatched({ 'vf-ids': '0' })],
  // an unknown the base never needs: open branches on it, and lays the config space out as the
  // base does on both branches (the states after it are the base's: layouts are keyed by content)
  ['vf-ids by a call the model does not know (k04)', configPatched({ 'vf-ids': 'dev_is_vf(&pdev->dev)' })],
  // a decision v5.8 lacks (null: it reads nothing there) given to the patched kernel
  ['pm-lock-zap where v5.8 has none', configPatched({ 'pm-lock-zap': '1' })],
  // INTx pin: the same value by another text (the open recomputed, the rest the base's)
  [
    'pin-zero rewritten to the same value',
    configPatched({ 'pin-zero': 'vdev->nointx || !IS_ENABLED(CONFIG_VFIO_PCI_INTX)' }),
  ],
];

function checkReuse(spec: PolicySpec, kinds: readonly DeviceKind[], config: boolean): void {
  const [pa, pb] = [policyOf('v5.8'), policyOf(spec)];
  let reused = 0;
  for (const device of kinds) {
    for (const internal of [false, true]) {
      const computed = walk(new PolicySystem(pa, device), new PolicySystem(pb, device), internal, config);
      const base = new PolicySystem(pa, device);
      const derived = new PolicySystem(pb, device);
      const found = derived.reusing(base, () => walk(base, derived, internal, config));
      assert.deepEqual(found, computed, `${device.id}: the same walk with steps taken from v5.8`);
      reused += derived.transitionsReused;
    }
  }
  assert.ok(reused > 0, 'some steps were taken from the base system');
}

describe('a patched policy reuses its base system where the patch does not reach', () => {
  for (const [name, spec] of PATCHES) test(name, () => checkReuse(spec, COMMAND_KINDS, false));
  for (const [name, spec] of CONFIG_PATCHES)
    test(`config part: ${name}`, () => checkReuse(spec, CONFIG_KINDS, true));

  test('a patched config table keeps every step its own', () => {
    const base = kernelSpec('v5.8');
    const spec: PolicySpec = {
      ...base,
      id: 'table-patched',
      config: { ...base.config, capLengths: { ...base.config.capLengths, 0x01: '4' } },
    };
    const device = CONFIG_KINDS.find((d) => d.id === 'pf')!;
    const a = new PolicySystem(policyOf('v5.8'), device);
    const b = new PolicySystem(policyOf(spec), device);
    b.reusing(a, () => walk(a, b, false, true));
    assert.equal(b.transitionsReused, 0);
  });

  test('a system is never its own base, nor one of another device', () => {
    const p = policyOf('v5.8');
    const [pf, vf] = [DEVICE_KINDS.find((d) => d.id === 'pf')!, DEVICE_KINDS.find((d) => d.id === 'vf')!];
    const a = new PolicySystem(p, pf);
    walk(a, a);
    const b = new PolicySystem(p, vf);
    b.reusing(a, () => walk(b, b));
    assert.equal(b.transitionsReused, 0);
  });
});
