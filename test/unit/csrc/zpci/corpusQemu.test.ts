/**
 * The zPCI C reader on the real QEMU patches of the corpus (z01, z02, z05, z06, z07, z09): the
 * changes it recognises match each MANIFEST row's effect, the baseline it detects is named with
 * its evidence, what it cannot place says "not modelled" with the place, and the post-image's
 * version derived from the baseline, compared through compareZpci, shows the row's behaviour
 * difference on the device kind and step sequence named here (refactors: none).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ZPCI_DEVICE_KINDS,
  checkIndex,
  zpciVersionSpec,
  type ZpciState,
  type ZpciVersionSpec,
} from '../../../../server/src/model/zpci';
import type { ZpciReading } from '../../../../server/src/csrc/zpci/types';
import { sharedMissing } from '../../../support/shared';
import { cat, decidedBy, outcome, permanentErrorState, zpci } from '../../model/zpci/support';
import { changeOf, modelChanges, notModelled, readCorpus, ready } from './support';

before(async () => {
  await ready();
  await zpci();
});

/** The last observation of a script under a spec (the all-unknowns-0 run). */
function lastUnder(spec: ZpciVersionSpec, device: string, script: string, start?: ZpciState) {
  const c = cat();
  const t = c.zpciSystemFor(spec, device).run(c.steps(script), start)[0].trace;
  return t[t.length - 1];
}

/** The difference compareZpci finds for this step sequence, with its before/after outcomes. */
function found(r: ZpciReading, device: string, steps: string, depth = 3): [string, string] {
  const res = cat().compare(r.before, r.after, device, { depth });
  const d = res.differences.find((x) => x.steps.join('; ') === steps);
  assert.ok(
    d,
    `compareZpci found no difference at "${steps}" for ${device}; found: ${res.differences
      .map((x) => x.steps.join('; '))
      .slice(0, 8)
      .join(' | ')}`,
  );
  return [outcome(d.before[d.before.length - 1]), outcome(d.after[d.after.length - 1])];
}

const permanentError = permanentErrorState;

const Z01 = 'z01_qemu-s390x-pci-reject-ops-disabled-function.patch';
const Z02 = 'z02_qemu-s390x-pci-check-mr-dispatch-operand-exception.patch';
const Z05 = 'z05_qemu-s390x-pci-rework-pcistg.patch';
const Z06 = 'z06_qemu-s390x-pci-rework-pcilg.patch';
const Z07 = 'z07_qemu-s390x-pci-rework-pcistb-maxstbl-4k.patch';
const Z09 = 'z09_qemu-s390x-pci-factor-out-endian-swap_refactor.patch';

describe('corpus z01 (3be5c2078bcf): disabled functions rejected', { skip: sharedMissing() }, () => {
  test('the lookup of PCILG, PCISTG and PCISTB gains the fh enable test, on the v2.3 baseline', () => {
    const r = readCorpus(Z01);
    assert.equal(r.baseline.id, 'v2.3');
    assert.deepEqual(modelChanges(r), [
      'modified pcilg/lookup',
      'modified pcistg/lookup',
      'modified pcistb/lookup',
    ]);
    const c = changeOf(r, 'pcistb/lookup');
    assert.equal(c.before, 'if (!pbdev)');
    assert.equal(c.after, 'if (!pbdev || !(pbdev->fh & FH_ENABLED))');
    assert.equal(c.place.function, 'pcistb_service_call');
    assert.ok(c.place.postLines.length > 0 && c.place.preLines.length > 0);
    // FH_ENABLED is (1 << ENABLE_BIT_OFFSET): the bit the model calls FH_MASK_ENABLE.
    assert.match(changeOf(r, 'constant FH_ENABLED', 'none').message, /2147483648/);
  });
  test('DMA translation, MSI-X notification, RPCIT and MPCIFC: not modelled, each with its place', () => {
    const r = readCorpus(Z01);
    assert.deepEqual(notModelled(r), [
      'not modelled: mpcifc_service_call in hw/s390x/s390-pci-inst.c',
      'not modelled: rpcit_service_call in hw/s390x/s390-pci-inst.c',
      'not modelled: s390_msi_ctrl_write in hw/s390x/s390-pci-bus.c',
      'not modelled: s390_translate_iommu in hw/s390x/s390-pci-bus.c',
    ]);
    for (const c of r.changes.filter((x) => x.change === 'not-modelled'))
      assert.ok(c.place.postLines.length > 0);
  });
  test('behaviour: a function whose fh enable bit is clear: executed -> cc 3 (every kind)', () => {
    const r = readCorpus(Z01);
    for (const d of ZPCI_DEVICE_KINDS)
      assert.deepEqual(found(r, d.id, 'plug; pcistb 0 0 16'), ['accepted', 'cc:3']);
    assert.equal(outcome(lastUnder(r.before, 'zpci-intercepted', 'plug; pcilg 0 0 8')), 'accepted');
    const after = lastUnder(r.after, 'zpci-intercepted', 'plug; pcilg 0 0 8');
    assert.deepEqual([outcome(after), decidedBy(after)], ['cc:3', 'pcilg/lookup']);
  });
});

describe('corpus z02 (88ee13c7b656): memory region results checked', { skip: sharedMissing() }, () => {
  test('the BAR accesses keep their MemTxResult, a result check follows each, PCISTB range -> operand', () => {
    const r = readCorpus(Z02);
    assert.match(r.baseline.id, /^v2\.[67]$/);
    assert.deepEqual(modelChanges(r), [
      'modified pcilg/bar-access',
      'added pcilg/bar-result',
      'modified pcistg/bar-access',
      'added pcistg/bar-result',
      'modified pcistb/range',
      'modified pcistb/write',
      'added pcistb/write-result',
    ]);
    assert.match(changeOf(r, 'pcistb/range').message, /outcome PGM_ADDRESSING -> PGM_OPERAND/);
    const insert = changeOf(r, 'pcilg/bar-result').edits[0];
    assert.deepEqual(insert.op === 'insert-node' && insert.at, { after: 'bar-access' });
  });
  test('behaviour: PCISTB target range invalid: addressing -> operand exception (zpci-intercepted, ism)', () => {
    const r = readCorpus(Z02);
    for (const d of ['zpci-intercepted', 'ism'])
      assert.deepEqual(found(r, d, 'plug; enable; pcistb 0 4 16'), ['pgm:PGM_ADDRESSING', 'pgm:PGM_OPERAND']);
  });
  test('behaviour: a PCILG the memory region rejects (unaligned): cc 0 -> operand exception', () => {
    const r = readCorpus(Z02);
    assert.equal(outcome(lastUnder(r.before, 'zpci-intercepted', 'plug; enable; pcilg 0 2 4')), 'accepted');
    const after = lastUnder(r.after, 'zpci-intercepted', 'plug; enable; pcilg 0 2 4');
    assert.deepEqual([outcome(after), decidedBy(after)], ['pgm:PGM_OPERAND', 'pcilg/bar-result']);
  });
});

describe('corpus z05 (7645b9a79474): PCISTG rework', { skip: sharedMissing() }, () => {
  test('fh enable checked first, state checks merged, BAR/config lengths and PCIAS cases rewritten', () => {
    const r = readCorpus(Z05);
    assert.equal(r.baseline.id, 'v2.9');
    assert.deepEqual(modelChanges(r), [
      'added pcistg/fh-enable',
      'removed pcistg/state-invalid',
      'modified pcistg/state-error',
      'modified pcistg/pcias#0',
      'modified pcistg/bar-length',
      'modified pcistg/pcias#1',
      'modified pcistg/config-length',
      'removed pcistg/config-length-value',
    ]);
    const add = changeOf(r, 'pcistg/fh-enable').edits[0];
    assert.deepEqual(add.op === 'insert-node' && add.at, { before: 'lookup' });
    // The pre-image already has z09's zpci_endian_swap: the baseline is aligned with it first.
    assert.deepEqual(r.drift, [
      {
        key: 'pcistg/config-length-value',
        baseline: 'len != 1 && len != 2 && len != 4 && len != 8',
        preImage: 'zpci_endian_swap(&data, len)',
      },
    ]);
    for (const name of ['ZPCI_IO_BAR_MIN', 'ZPCI_IO_BAR_MAX', 'ZPCI_CONFIG_BAR'])
      changeOf(r, `constant ${name}`, 'none');
  });
  test('behaviour: PCISTG length 0 to a BAR: cc 0 -> operand exception (zpci-intercepted, zpci-emulated)', () => {
    const r = readCorpus(Z05);
    for (const d of ['zpci-intercepted', 'zpci-emulated'])
      assert.deepEqual(found(r, d, 'plug; enable; pcistg 0 0 0'), ['accepted', 'pgm:PGM_OPERAND']);
  });
  test('behaviour: PERMANENT_ERROR: cc 3 -> cc 1 + status 12; fh enable bit clear: cc 3 decided before the lookup', () => {
    const r = readCorpus(Z05);
    assert.equal(outcome(lastUnder(r.before, 'zpci-intercepted', 'pcistg 0 0 8', permanentError())), 'cc:3');
    assert.equal(
      outcome(lastUnder(r.after, 'zpci-intercepted', 'pcistg 0 0 8', permanentError())),
      'cc:1/12',
    );
    const a = lastUnder(r.before, 'zpci-intercepted', 'plug; pcistg 0 0 8');
    const b = lastUnder(r.after, 'zpci-intercepted', 'plug; pcistg 0 0 8');
    assert.deepEqual([outcome(a), decidedBy(a)], ['cc:3', 'pcistg/state-invalid']);
    assert.deepEqual([outcome(b), decidedBy(b)], ['cc:3', 'pcistg/fh-enable']);
  });
  test('behaviour: config space length 3 or crossing a word: operand exception -> unchanged', () => {
    const r = readCorpus(Z05);
    for (const spec of [r.before, r.after])
      assert.equal(
        outcome(lastUnder(spec, 'zpci-intercepted', 'plug; enable; pcistg 15 0 3')),
        'pgm:PGM_OPERAND',
      );
  });
});

describe('corpus z06 (8cbd6aab9579): PCILG rework', { skip: sharedMissing() }, () => {
  test('the same rework for PCILG; the PCIAS default rewritten with the same form', () => {
    const r = readCorpus(Z06);
    assert.equal(r.baseline.id, 'v2.9');
    assert.deepEqual(modelChanges(r), [
      'added pcilg/fh-enable',
      'removed pcilg/state-invalid',
      'modified pcilg/state-error',
      'modified pcilg/pcias#0',
      'modified pcilg/bar-length',
      'modified pcilg/pcias#1',
      'modified pcilg/config-length',
    ]);
    changeOf(r, 'pcilg/pcias-invalid', 'reformatted');
    assert.deepEqual(notModelled(r), []);
  });
  test('behaviour: PCILG length 0 from a BAR: cc 0 -> operand exception', () => {
    const r = readCorpus(Z06);
    assert.deepEqual(found(r, 'zpci-intercepted', 'plug; enable; pcilg 0 0 0'), [
      'accepted',
      'pgm:PGM_OPERAND',
    ]);
    assert.equal(outcome(lastUnder(r.after, 'zpci-intercepted', 'pcilg 0 0 8', permanentError())), 'cc:1/12');
  });
});

describe('corpus z07 (0e7c259adff7): PCISTB rework, maxstbl, 4K', { skip: sharedMissing() }, () => {
  test('the length rule, offset alignment, 4K and gaddr checks; PCIAS and length moved after the handle checks', () => {
    const r = readCorpus(Z07);
    assert.equal(r.baseline.id, 'v2.9');
    // in the order of their places: a moved check where the post-image puts it
    assert.deepEqual(modelChanges(r), [
      'added trait pbdevMaxstbl',
      'added trait clpMaxstbl',
      'added pcistb/fh-enable',
      'removed pcistb/state-invalid',
      'modified pcistb/state-error',
      'moved pcistb/pcias-invalid',
      'modified pcistb/range',
      'added pcistb/offset-align',
      'moved pcistb/length',
      'added pcistb/boundary',
      'added pcistb/gaddr-align',
      'modified pcistb/write',
    ]);
    assert.equal(
      changeOf(r, 'pcistb/length').after,
      'if ((len <= 8) || (len % 8) || (len > pbdev->maxstbl))',
    );
    // The goto specification_error is read through the label the patch adds.
    const boundary = changeOf(r, 'pcistb/boundary').edits[0];
    assert.ok(boundary.op === 'insert-node' && boundary.node.kind === 'check');
    assert.deepEqual(boundary.node.kind === 'check' && boundary.node.outcome, { pgm: 'PGM_SPECIFICATION' });
  });
  test("the derived PCISTB body is v2.12's, node for node (ids, C text, outcomes, order)", () => {
    const r = readCorpus(Z07);
    const body = (s: ZpciVersionSpec) =>
      checkIndex(s)
        .filter((e) => e.instruction === 'pcistb')
        .map((e) => [e.id, e.text, JSON.stringify(e.outcome ?? null)].join(' | '));
    assert.deepEqual(body(r.after), body(zpciVersionSpec('v2.12')!));
    assert.deepEqual(r.after.traits.pbdevMaxstbl, 0);
    assert.equal(r.after.traits.clpMaxstbl, 'constant-128');
  });
  test('lint: a check moved past an earlier one (which exception a guest sees depends on it)', () => {
    const r = readCorpus(Z07);
    const lints = r.lints.map((l) => l.message);
    assert.equal(lints.length, 2);
    assert.match(
      lints[0],
      /^pcistb\/pcias-invalid now on the other side of pcistb\/lookup, pcistb\/state-error/,
    );
    assert.match(lints[1], /^pcistb\/length now on the other side of pcistb\/lookup, pcistb\/state-error/);
  });
  test('behaviour: the handle is checked first: invalid handle with PCIAS > 5 (or any length): cc 1/20 or spec -> cc 3', () => {
    const r = readCorpus(Z07);
    assert.deepEqual(found(r, 'zpci-intercepted', 'pcistb 0 0 0'), ['pgm:PGM_SPECIFICATION', 'cc:3']);
    assert.equal(outcome(lastUnder(r.before, 'zpci-intercepted', 'pcistb 6 0 16')), 'cc:1/20');
    assert.equal(outcome(lastUnder(r.after, 'zpci-intercepted', 'pcistb 6 0 16')), 'cc:3');
  });
  test('behaviour: new specification exceptions: offset not 8-aligned, (offset & 0xfff) + len > 4096', () => {
    const r = readCorpus(Z07);
    const a = lastUnder(r.after, 'zpci-intercepted', 'plug; enable; pcistb 0 4 16');
    assert.deepEqual([outcome(a), decidedBy(a)], ['pgm:PGM_SPECIFICATION', 'pcistb/offset-align']);
    // v2.9: 128 bytes at 0xfc0 pass the length checks (the memory region refuses the range).
    assert.equal(
      decidedBy(lastUnder(r.before, 'zpci-intercepted', 'plug; enable; pcistb 0 0xfc0 128')),
      'pcistb/range',
    );
    // v2.12's length bound is pbdev->maxstbl, which nothing assigns: every length fails there first.
    const b = lastUnder(r.after, 'zpci-intercepted', 'plug; enable; pcistb 0 0xfc0 128');
    assert.deepEqual([outcome(b), decidedBy(b)], ['pgm:PGM_SPECIFICATION', 'pcistb/length']);
    assert.match(JSON.stringify(b.why), /pbdev->maxstbl/);
    assert.deepEqual(found(r, 'zpci-intercepted', 'plug; enable; pcistb 0 0 16'), [
      'accepted',
      'pgm:PGM_SPECIFICATION',
    ]);
  });
  test('behaviour: CLP Query PCI Function Group maxstbl 0 (reserved) -> 128; ISM still fenced, 8-bit length', () => {
    const r = readCorpus(Z07);
    const clp = cat().clp(r.before, r.after, 'zpci-intercepted');
    assert.deepEqual(
      clp.map((d) => [d.field, d.before, d.after]),
      [['maxstbl', '0', '128']],
    );
    const ism = cat().compare(r.before, r.after, 'ism', { depth: 2 });
    assert.deepEqual(
      ism.differences.filter((d) => d.steps[0] === 'plug'),
      [],
    );
    assert.equal(ism.notes.length, 2);
    assert.equal(r.after.decode.pcistb.len, 'env->regs[r1] & 0xff');
  });
});

describe('corpus z09 (c748814b20f1): endianness helper (a refactor)', { skip: sharedMissing() }, () => {
  test('both config-space length-value checks rewritten as zpci_endian_swap, which the model computes', () => {
    const r = readCorpus(Z09);
    assert.deepEqual(modelChanges(r), [
      'modified pcilg/config-length-value',
      'modified pcistg/config-length-value',
    ]);
    assert.match(
      changeOf(r, 'zpci_endian_swap: computed by the model', 'none').message,
      /lengths 1, 2, 4 and 8/,
    );
    assert.deepEqual(notModelled(r), []);
  });
  test('behaviour: none on any device kind (identical semantics)', () => {
    const r = readCorpus(Z09);
    for (const d of ZPCI_DEVICE_KINDS)
      assert.deepEqual(cat().compare(r.before, r.after, d.id, { depth: 3 }).differences, [], d.id);
    for (const len of [1, 2, 3, 4, 8])
      assert.equal(
        outcome(lastUnder(r.after, 'zpci-intercepted', `plug; enable; pcilg 15 0 ${len}`)),
        outcome(lastUnder(r.before, 'zpci-intercepted', `plug; enable; pcilg 15 0 ${len}`)),
      );
  });
});
