/**
 * Versions and hosts from edits (what the C reader derives from a patch): every edit kind,
 * positions for new nodes, edits that do not fit reported as problems (the spec left as it was),
 * a host comparison with two hosts, and CLP values no step observes.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyHostEdits,
  applyZpciEdits,
  check,
  checkIndex,
  hostKernel,
  zpciVersionSpec,
  type ZpciEdit,
  type ZpciVersionSpec,
} from '../../../../server/src/model/zpci';
import { cat, decidedBy, outcome, zpci } from './support';

before(zpci);

const spec = (id: string): ZpciVersionSpec => {
  const s = zpciVersionSpec(id);
  assert.ok(s);
  return s;
};
const ids = (s: ZpciVersionSpec, instruction: 'pcilg' | 'pcistg' | 'pcistb') =>
  checkIndex(s)
    .filter((e) => e.instruction === instruction)
    .map((e) => e.id);
const apply = (base: string, edits: ZpciEdit[]) => applyZpciEdits(spec(base), edits, { id: 'x', label: 'x' });
const lastOf = (s: ZpciVersionSpec, device: string, script: string) => {
  const t = cat().simulate(s, device, script)[0].trace;
  return t[t.length - 1];
};

describe('applyZpciEdits', () => {
  test('insert before, after, first in a case, first in a loop, first in the body', () => {
    const n = (id: string) => check(id, id, 'len == 99', { cc: 2 });
    const { spec: s, problems } = apply('v6.0', [
      { op: 'insert-node', instruction: 'pcistb', node: n('a'), at: { before: 'lookup' } },
      { op: 'insert-node', instruction: 'pcistb', node: n('b'), at: { after: 'boundary' } },
      { op: 'insert-node', instruction: 'pcistb', node: n('c'), at: { loopStart: 'range-loop' } },
      { op: 'insert-node', instruction: 'pcistb', node: n('d'), at: { bodyStart: true } },
      {
        op: 'insert-node',
        instruction: 'pcilg',
        node: n('e'),
        at: { caseStart: { branch: 'pcias', index: 1 } },
      },
    ]);
    assert.deepEqual(problems, []);
    const b = ids(s, 'pcistb');
    assert.deepEqual(b.slice(0, 4), ['d', 'privileged', 'fh-enable', 'a']);
    assert.equal(b[b.indexOf('boundary') + 1], 'b');
    assert.equal(b[b.indexOf('range-loop') + 1], 'c');
    const pcilg = checkIndex(s).filter((e) => e.instruction === 'pcilg');
    assert.equal(pcilg.find((e) => e.id === 'e')?.path, 'pcilg/pcias=config space (PCIAS 15)/e');
  });
  test('replace, remove, a case test, a decode field, plug and CLP checks, interpretation, a trait', () => {
    const base = spec('v6.0');
    const { spec: s, problems } = apply('v6.0', [
      {
        op: 'replace-node',
        instruction: 'pcistb',
        id: 'length',
        node: check('length', 'l', '(len <= 8) || (len % 8)', { pgm: 'PGM_SPECIFICATION' }),
      },
      { op: 'remove-node', instruction: 'pcistb', id: 'gaddr-align' },
      { op: 'set-case', instruction: 'pcilg', branch: 'pcias', index: 1, when: 'pcias == 15' },
      { op: 'set-decode', instruction: 'pcistb', field: 'len', text: 'env->regs[r1] & 0xff' },
      { op: 'set-plug-check', id: 'msix-fence', check: null },
      { op: 'set-interpretation', text: 'pbdev->interp' },
      {
        op: 'set-clp-check',
        request: 'enable',
        id: 'x',
        check: check('x', 'x', 'pbdev->interp', { clp: 'CLP_RC_SETPCIFN_FH' }),
      },
      { op: 'set-trait', trait: 'clpMaxstbl', value: 'constant-128' },
    ]);
    assert.deepEqual(problems, []);
    assert.ok(!ids(s, 'pcistb').includes('gaddr-align'));
    assert.equal(s.decode.pcistb.len, 'env->regs[r1] & 0xff');
    assert.deepEqual([s.plug.checks, s.plug.interpretation], [[], 'pbdev->interp']);
    assert.deepEqual(
      s.clp.enable.map((c) => c.id),
      ['lookup', 'already-enabled', 'x'],
    );
    assert.equal(s.traits.clpMaxstbl, 'constant-128');
    // The base is untouched.
    assert.equal(base.plug.checks.length, 1);
    assert.ok(ids(base, 'pcistb').includes('gaddr-align'));
    // The derived spec runs: the 8-bit decode reads 4096 as 0, which the replaced length check refuses.
    const o = lastOf(s, 'zpci-emulated', 'plug; enable; pcistb 0 0 4096');
    assert.deepEqual([outcome(o), decidedBy(o)], ['pgm:PGM_SPECIFICATION', 'pcistb/length']);
    assert.match(JSON.stringify(o.why), /\(len <= 8\) \|\| \(len % 8\)/);
    assert.equal(outcome(lastOf(s, 'ism', 'plug')), 'plugged:interpreted');
  });
  test('edits that do not fit: a problem each, naming the edit, and the spec left as it was for them', () => {
    const { spec: s, problems } = apply('v2.3', [
      { op: 'remove-node', instruction: 'pcistb', id: 'fh-enable' },
      {
        op: 'insert-node',
        instruction: 'pcilg',
        node: check('n', 'n', 'true', { cc: 3 }),
        at: { after: 'no-such' },
      },
      { op: 'set-case', instruction: 'pcilg', branch: 'pcias', index: 7, when: null },
      {
        op: 'insert-node',
        instruction: 'pcilg',
        node: check('m', 'm', 'true', { cc: 3 }),
        at: { loopStart: 'none' },
      },
      { op: 'set-plug-check', id: 'nothing', check: null },
    ]);
    assert.equal(problems.length, 5);
    assert.match(problems[0], /^pcistb: remove-node fh-enable: x has no node "fh-enable" in pcistb$/);
    assert.match(problems[2], /no case 7 of branch "pcias"/);
    assert.deepEqual(checkIndex(s), checkIndex(spec('v2.3')));
  });
});

describe('two hosts and CLP values', () => {
  test('applyHostEdits: the MIO path added to host-v5.7; compareZpci with hostAfter compares one version on two hosts', () => {
    const h = hostKernel('host-v5.10');
    assert.ok(h);
    const { spec: after } = applyHostEdits(h, [{ op: 'set-host', field: 'imaxstbl', value: true }], {
      id: 'h+',
      label: 'h+',
    });
    assert.equal(after.imaxstbl, true);
    assert.equal(h.imaxstbl, false);
    const r = cat().compare('v7.2', 'v7.2', 'zpci-interpreted', { host: h, hostAfter: after, depth: 2 });
    assert.deepEqual(r.differences, []);
    const mio = applyHostEdits(
      hostKernel('host-v5.7')!,
      [{ op: 'set-mmio', field: 'mioPath', value: true }],
      { id: 'm', label: 'm' },
    );
    assert.equal(mio.spec.mmio.mioPath, true);
  });
  test('clpDifferences: v2.9 -> v2.12 reports CLP maxstbl 0 -> 128; v7.2 -> v7.2 on hosts with and without imaxstbl', () => {
    assert.deepEqual(
      cat()
        .clp('v2.9', 'v2.12', 'zpci-intercepted')
        .map((d) => [d.field, d.before, d.after]),
      [['maxstbl', '0', '128']],
    );
    const h = hostKernel('host-v6.0')!;
    const { spec: noImax } = applyHostEdits(h, [{ op: 'set-host', field: 'imaxstbl', value: false }], {
      id: 'n',
      label: 'n',
    });
    const d = cat().clp('v7.2', 'v7.2', 'zpci-interpreted', { host: noImax, hostAfter: h });
    assert.deepEqual(
      d.map((x) => x.field),
      ['maxstbl'],
    );
    assert.equal(d[0].before, '128');
  });
});
