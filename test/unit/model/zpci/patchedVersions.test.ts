/**
 * Versions built from patches: a spec derived with replaceNode (or a changed decode) compiles and
 * runs like a built-in one; names the model does not know fork the step; node keys are stable.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import {
  MAX_BODY_DEPTH,
  ZPCI_VERSION_SPECS,
  checkIndex,
  compileZpciVersion,
  replaceNode,
  zpciVersionContentKey,
  zpciVersionSpec,
} from '../../../../server/src/model/zpci';
import type { BodyNode, ZpciVersionSpec } from '../../../../server/src/model/zpci';
import { cat, decidedBy, outcome, zpci } from './support';

before(zpci);

const spec = (id: string): ZpciVersionSpec => {
  const s = zpciVersionSpec(id);
  assert.ok(s);
  return s;
};
const lastOf = (v: ZpciVersionSpec, device: string, script: string) => {
  const runs = cat().simulate(v, device, script);
  return runs.map((r) => r.trace[r.trace.length - 1]);
};

describe('a version from a patch', () => {
  test("v5.2 with 704d7a2304d8's decode reads 4096 like v6.0", () => {
    const v52 = spec('v5.2');
    const patched = {
      ...v52,
      id: 'v5.2+704d7a2304d8',
      decode: { ...v52.decode, pcistb: spec('v6.0').decode.pcistb },
    };
    const [o] = lastOf(patched, 'zpci-intercepted', 'plug; enable; pcistb 0 0 4096');
    assert.equal(o.why.find((e) => e.node === 'pcistb/decode-len')?.result, 4096);
    assert.match(
      o.why
        .find((e) => e.decided)
        ?.operands.map((x) => `${x.name}=${x.value}`)
        .join() ?? '',
      /maxstbl=128/,
    );
  });
  test('dropping the maxstbl bound lets 4096 bytes into the 128-byte staging buffer', () => {
    const patched = replaceNode(
      spec('v6.0'),
      'pcistb',
      'length',
      (n) => [{ ...n, condition: '(len <= 8) || (len % 8)' } as BodyNode],
      { id: 'v6.0-no-maxstbl', label: 'test' },
    );
    const [o] = lastOf(patched, 'zpci-intercepted', 'plug; enable; pcistb 0 0 4096');
    assert.equal(o.outcome.kind, 'staging-overflow');
    assert.equal(decidedBy(o), 'pcistb/guest-read');
  });
  test('a check naming something the model does not know forks the step and says what it depends on', () => {
    const patched = replaceNode(
      spec('v6.0'),
      'pcistb',
      'gaddr-align',
      (n) => [{ ...n, condition: '(gaddr & 0x07UL) || pbdev->needs_region' } as BodyNode],
      { id: 'v6.0-unknown', label: 'test' },
    );
    const runs = lastOf(patched, 'zpci-intercepted', 'plug; enable; pcistb 0 0 16');
    assert.deepEqual(runs.map(outcome), ['accepted', 'pgm:PGM_SPECIFICATION']);
    assert.deepEqual(runs[0].dependsOn, ['pbdev->needs_region']);
    const r = cat().compare('v6.0', patched, 'zpci-intercepted');
    const d = r.differences.find((x) => x.steps.join('; ') === 'plug; enable; pcistb 0 0 16');
    assert.ok(d);
    assert.deepEqual(d.dependsOn, ['pbdev->needs_region']);
  });
  test('removing a node and inserting one', () => {
    const removed = replaceNode(spec('v6.0'), 'pcistb', 'offset-align', () => [], { id: 'x', label: 'x' });
    assert.equal(
      outcome(lastOf(removed, 'zpci-intercepted', 'plug; enable; pcistb 0 4 16')[0]),
      'pgm:PGM_OPERAND',
    );
    assert.throws(
      () => replaceNode(spec('v6.0'), 'pcistb', 'no-such-check', () => [], { id: 'x', label: 'x' }),
      /v6\.0 has no node "no-such-check" in pcistb/,
    );
  });
  test('the id and label do not change the content key; the C text does', () => {
    const v60 = spec('v6.0');
    assert.equal(zpciVersionContentKey({ ...v60, id: 'other', label: 'other' }), zpciVersionContentKey(v60));
    assert.notEqual(zpciVersionContentKey(spec('v5.2')), zpciVersionContentKey(v60));
    assert.equal(zpciVersionContentKey(spec('v8.0')), zpciVersionContentKey(spec('latest')));
  });
  test('a body nested deeper than the bound is refused with a message, not recursed', () => {
    let body: BodyNode[] = [];
    for (let i = 0; i <= MAX_BODY_DEPTH + 1; i++)
      body = [{ kind: 'loop', id: `l${i}`, label: 'l', variable: 'i', test: 'i < 1', step: 1, body }];
    const deep = { ...spec('v6.0'), instructions: { ...spec('v6.0').instructions, pcistb: body } };
    assert.throws(() => compileZpciVersion(deep, parseCExpression), /nested deeper than 16 levels/);
  });
});

describe('node keys', () => {
  for (const v of ZPCI_VERSION_SPECS)
    test(`${v.id}: every node path is unique, every check has C text the parser reads`, () => {
      const index = checkIndex(v);
      const paths = index.map((e) => e.path);
      assert.equal(new Set(paths).size, paths.length);
      for (const e of index.filter((x) => x.kind === 'check'))
        assert.notEqual(parseCExpression(e.text).kind, 'unknown', `${e.path}: ${e.text}`);
    });
});
