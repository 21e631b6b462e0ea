/**
 * Comparing QEMU versions on zPCI device kinds through core/explore.ts explorePair: the PCISTB
 * changes of v6.0, what the MSI-X fence hides for ISM, the RFC's length change for ISM, every
 * version against itself, and determinism.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ZPCI_DEVICE_KINDS,
  ZPCI_EXPLORATION_ALPHABET,
  ZPCI_VERSION_SPECS,
  compileZpciVersion,
  formatObservation,
  zpciSystem,
  zpciVersionSpec,
} from '../../../../server/src/model/zpci';
import type { ZpciExplanation } from '../../../../server/src/model/zpci';
import { reachable } from '../../../../server/src/model/index';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import { cat, outcome, zpci } from './support';

before(zpci);

const lastOf = (t: { before: unknown[]; after: unknown[] }) => [
  t.before[t.before.length - 1],
  t.after[t.after.length - 1],
];

describe('compare v5.2 with v6.0', () => {
  test('ism: the plug is refused under both (MSI-X fence), so nothing differs, and the result says why', () => {
    const r = cat().compare('v5.2', 'v6.0', 'ism');
    assert.deepEqual(r.differences, []);
    assert.equal(r.notes.length, 2);
    for (const n of r.notes)
      assert.match(n, /ism is never plugged under v(5\.2|6\.0).*MSI-X support is mandatory/);
  });
  test('zpci-intercepted: the PCISTB range change is found in one step after plug and enable', () => {
    const r = cat().compare('v5.2', 'v6.0', 'zpci-intercepted');
    assert.ok(r.differences.length > 0);
    for (const d of r.differences) {
      assert.deepEqual(d.steps.slice(0, 2), ['plug', 'enable']);
      assert.equal(d.steps.length, 3);
      assert.match(d.steps[2], /^pcistb /);
    }
    const d = r.differences.find((x) => x.steps[2] === 'pcistb 0 0 16');
    assert.ok(d);
    assert.equal(outcome(d.before[2]), 'pgm:PGM_OPERAND');
    assert.equal(outcome(d.after[2]), 'accepted');
    assert.deepEqual(r.notes, []);
  });
  test('zpci-intercepted, internal: the PCISTB length change (len reads 0 -> 4096) in one step after plug and enable', () => {
    const r = cat().compare('v5.2', 'v6.0', 'zpci-intercepted', { internal: true });
    const d = r.differences.find((x) => x.steps.join('; ') === 'plug; enable; pcistb 0 0 4096');
    assert.ok(d);
    assert.equal(d.internalOnly, true);
    const [b, a] = lastOf(d) as typeof d.before;
    assert.match(formatObservation(b), /len \(0\) <= 8/);
    assert.match(formatObservation(a), /len \(4096\) > pbdev->pci_group->zpci_group\.maxstbl \(128\)/);
  });
});

describe('ISM across the fence and the RFC', () => {
  test('v6.0 -> v7.2 (15d0e7942d3b, corpus q09): ism plug refused -> plugged interpreted, in one step', () => {
    const r = cat().compare('v6.0', 'v7.2', 'ism');
    const d = r.differences.find((x) => x.steps.join() === 'plug');
    assert.ok(d);
    assert.match(outcome(d.before[0]), /^refused:MSI-X/);
    assert.equal(outcome(d.after[0]), 'plugged:interpreted');
  });
  test('v5.2 -> RFC 2/8: ism plug refused -> plugged (intercepted)', () => {
    const d = cat()
      .compare('v5.2', 'rfc-msix_fence', 'ism')
      .differences.find((x) => x.steps.join() === 'plug');
    assert.ok(d);
    assert.equal(outcome(d.after[0]), 'plugged:intercepted');
  });
  test('RFC 2/8 -> the whole RFC, host with the kernel RFC: ism pcistb 0 0 4096 specification -> one 4096-byte block', () => {
    const r = cat().compare('rfc-msix_fence', 'rfc-ism', 'ism', { host: 'host-rfc-zpci_io' });
    const d = r.differences.find((x) => x.steps.join('; ') === 'plug; enable; pcistb 0 0 4096');
    assert.ok(d);
    assert.equal(outcome(d.before[2]), 'pgm:PGM_SPECIFICATION');
    assert.equal(outcome(d.after[2]), 'accepted');
    assert.equal(d.after[2].delivery?.path, 'zpci-io-region');
  });
  test('v7.2 -> v8.0 (03451953c79e, corpus q07): the ISM reset on system reset', () => {
    const d = cat().compare('v7.2', 'v8.0', 'ism').differences;
    assert.deepEqual(
      d.map((x) => x.steps.join('; ')),
      ['plug; enable; reset'],
    );
  });
});

describe('every version against itself finds nothing', () => {
  for (const v of ZPCI_VERSION_SPECS)
    for (const k of ZPCI_DEVICE_KINDS)
      test(`${v.id} vs ${v.id} on ${k.id}`, () => {
        const r = cat().compare(v.id, v.id, k.id);
        assert.deepEqual(r.differences, []);
        assert.equal(r.stats.cut, undefined);
      });
});

describe('determinism', () => {
  test('the same comparison twice (no cache) gives the same result', () => {
    const once = () => JSON.stringify(cat().compare('v2.3', 'latest', 'zpci-intercepted', { budget: {} }));
    assert.equal(once(), once());
  });
  test('the same script twice gives the same trace', () => {
    const s = 'plug; enable; pcistb 0 0 4096; pcilg 0 2 4; error; pcistg 15 0 3; reset; pcistb 0 8 24';
    assert.equal(
      JSON.stringify(cat().simulate('v5.2', 'zpci-emulated', s)),
      JSON.stringify(cat().simulate('v5.2', 'zpci-emulated', s)),
    );
  });
  test('a budget that cuts the exploration says so', () => {
    const r = cat().compare('v2.3', 'latest', 'zpci-intercepted', { budget: { maxTransitions: 10 } });
    assert.equal(r.stats.cut, 'transitions');
    assert.ok(r.notes.some((n) => /exploration cut \(transitions\)/.test(n)));
  });
});

test("a system's steps share the explanations they have alike: one object per content, the content unchanged", () => {
  const ism = ZPCI_DEVICE_KINDS.find((k) => k.id === 'zpci-intercepted')!;
  const system = zpciSystem(
    compileZpciVersion(zpciVersionSpec('v6.0')!, parseCExpression),
    ism,
    cat().host('host-v6.15'),
  );
  const walk = reachable(system, { depth: 3, alphabet: ZPCI_EXPLORATION_ALPHABET });
  const entries: ZpciExplanation[] = walk.edges.flatMap((e) => e.observation.why);
  const byContent = new Map<string, Set<ZpciExplanation>>();
  for (const w of entries) {
    const content = JSON.stringify(w);
    if (!byContent.has(content)) byContent.set(content, new Set());
    byContent.get(content)!.add(w);
  }
  assert.ok(
    entries.length > 2 * byContent.size,
    `${entries.length} explanations, ${byContent.size} contents`,
  );
  for (const [content, objects] of byContent) assert.equal(objects.size, 1, content);
  // the walk's steps replayed as a script read the same (the shared objects are what each step evaluated)
  const plugged = system.run(cat().steps('plug; enable'))[0].trace[1];
  assert.ok(plugged.why.length > 0);
  assert.ok(plugged.why.every((w) => byContent.get(JSON.stringify(w))?.has(w)));
});
