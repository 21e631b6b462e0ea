/**
 * What a device sees of a policy (scope.ts deviceViewKey): policies that differ only where the
 * device cannot tell share its transition system; each such pair is checked against fresh,
 * unshared systems, trace by trace, for every device kind; and every difference the device can
 * tell (a setter on its path for a marker a decision reads, a constant a decision names, a
 * decision, a trait) gives another view.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { parseCExpression } from '../../../server/src/csrc/cexpr';
import { DEVICE_KINDS } from '../../../server/src/model/devices';
import { KERNEL_SPECS } from '../../../server/src/model/kernels';
import { CLOSED_STATE } from '../../../server/src/model/machine';
import { compilePolicy, type Policy } from '../../../server/src/model/policy';
import { deviceViewKey } from '../../../server/src/model/scope';
import { EXPLORATION_ALPHABET } from '../../../server/src/model/steps';
import { PolicySystem, policySystem } from '../../../server/src/model/system';
import type { DeviceKind, PolicySpec } from '../../../server/src/model/types';

before(async () => {
  await initCParser();
});

const spec = (id: string): PolicySpec => structuredClone(KERNEL_SPECS.find((k) => k.id === id)!);
const compile = (s: PolicySpec): Policy => compilePolicy(s, parseCExpression);
const device = (id: string): DeviceKind => DEVICE_KINDS.find((d) => d.id === id)!;

/** Every trace of every step sequence up to `depth` steps, from a fresh (unshared) system. */
function traces(policy: Policy, kind: DeviceKind, depth = 3): string {
  const system = new PolicySystem(policy, kind);
  const out: string[] = [];
  let layer = [{ state: CLOSED_STATE, assumptions: {}, path: '' }];
  for (let d = 0; d < depth; d++) {
    const next: typeof layer = [];
    for (const node of layer) {
      for (const step of EXPLORATION_ALPHABET) {
        if (system.refusal(node.state, step)) continue;
        for (const t of system.step(node.state, step, node.assumptions)) {
          const path = `${node.path}; ${step.text}`;
          out.push(`${path} ${JSON.stringify(t.assumptions)} ${JSON.stringify(t.observation)}`);
          next.push({ state: t.state, assumptions: t.assumptions, path });
        }
      }
    }
    layer = next;
  }
  return out.join('\n');
}

/** v4-dev_flags, plus what a patch might add that some devices cannot tell. */
const variants: { what: string; change: (s: PolicySpec) => void }[] = [
  {
    what: 'a dev_flags setter no decision reads (on the VF path)',
    change: (s) => s.markers.push({ path: 'pci_iov_add_virtfn', marker: 'dev_flags:PCI_DEV_FLAGS_UNREAD' }),
  },
  {
    what: 'a setter of a decision-read marker on an s390 path',
    change: (s) =>
      s.markers.push({ path: 's390-pcibios_bus_add_device', marker: 'is_virtfn', condition: 'zdev->vfn' }),
  },
  {
    what: 'a constant nothing names',
    change: (s) => (s.constants = { ...(s.constants ?? {}), PCI_DEV_FLAGS_UNNAMED: 1 << 14 }),
  },
];

describe('deviceViewKey', () => {
  for (const v of variants) {
    test(`${v.what}: the devices that share a view have the same traces as fresh systems`, () => {
      const base = compile(spec('v4-dev_flags'));
      const changed = spec('v4-dev_flags');
      v.change(changed);
      const other = compile(changed);
      assert.notEqual(base.key, other.key, 'the variant is another policy');
      let shared = 0;
      for (const kind of DEVICE_KINDS) {
        const same = deviceViewKey(base, kind) === deviceViewKey(other, kind);
        if (same) {
          shared++;
          assert.equal(policySystem(base, kind), policySystem(other, kind), `${kind.id}: one system`);
          assert.equal(traces(other, kind), traces(base, kind), `${kind.id}: the view hides a difference`);
        } else {
          assert.notEqual(policySystem(base, kind), policySystem(other, kind));
        }
      }
      assert.ok(shared > 0, 'some device cannot tell the variant from the base');
    });
  }

  test('a setter on the device path for a marker a decision reads is seen', () => {
    const s = spec('v5.8');
    s.markers.push({ path: 's390-pcibios_bus_add_device', marker: 'is_virtfn' });
    const kind = device('s390-vf-detached');
    assert.notEqual(deviceViewKey(compile(s), kind), deviceViewKey(compile(spec('v5.8')), kind));
    assert.notEqual(traces(compile(s), kind), traces(compile(spec('v5.8')), kind));
  });

  test('the devices that go through the path of an unread setter share the view until a decision reads it', () => {
    const unread = spec('v5.8');
    unread.markers.push({ path: 'pci_iov_add_virtfn', marker: 'dev_flags:PCI_DEV_FLAGS_FORCE_COMMAND_MEM' });
    const read = structuredClone(unread);
    read.decisions['memory-enabled'] =
      '(pdev->dev_flags & PCI_DEV_FLAGS_FORCE_COMMAND_MEM) || (cmd & PCI_COMMAND_MEMORY)';
    const vf = device('vf');
    assert.equal(deviceViewKey(compile(unread), vf), deviceViewKey(compile(spec('v5.8')), vf));
    assert.notEqual(deviceViewKey(compile(read), vf), deviceViewKey(compile(unread), vf));
  });

  test('a constant a decision names, a decision text and a trait are seen', () => {
    const kind = device('pf');
    const base = deviceViewKey(compile(spec('v5.8')), kind);
    const named = spec('v5.8');
    named.constants = { ...(named.constants ?? {}), PCI_COMMAND_MEMORY: 2 };
    assert.notEqual(deviceViewKey(compile(named), kind), base);
    const decision = spec('v5.8');
    decision.decisions['read-or-in'] = 'offset == PCI_COMMAND';
    assert.notEqual(deviceViewKey(compile(decision), kind), base);
    const trait = spec('v5.8');
    trait.traits = { ...(trait.traits ?? {}), restoreLog: 'another log line' };
    assert.notEqual(deviceViewKey(compile(trait), kind), base);
  });
});
