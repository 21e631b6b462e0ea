/**
 * The reader's entry point on patches written for these tests: a new check placed by its
 * neighbours, a removed one, one moved past another (the lint), an outcome the model does not
 * have, a check with no neighbour to place it by ("not modelled", not a guess), files it leaves
 * to others, a baseline it is given (or cannot find), and the bounds it keeps.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_HUNKS, recogniseZpciChanges } from '../../../../server/src/csrc/zpci/recognise';
import type { ImageLine, ZpciHunkImages } from '../../../../server/src/csrc/zpci/types';
import { checkIndex } from '../../../../server/src/model/zpci';
import { cat, decidedBy, outcome, zpci } from '../../model/zpci/support';
import { changeOf, modelChanges, notModelled, ready } from './support';

before(async () => {
  await ready();
  await zpci();
});

/** A hunk from diff-like lines: ' ' context, '-' removed, '+' added. */
function hunk(file: string, fn: string | undefined, ...lines: string[]): ZpciHunkImages {
  const pre: ImageLine[] = [];
  const post: ImageLine[] = [];
  for (const l of lines) {
    const text = l.slice(1);
    if (l[0] !== '+') pre.push({ text, changed: l[0] === '-' });
    if (l[0] !== '-') post.push({ text, changed: l[0] === '+' });
  }
  return { file, ...(fn ? { function: fn } : {}), pre, post };
}

const INST = 'hw/s390x/s390-pci-inst.c';
const PCISTB = 'pcistb_service_call';

/** The v6.0 PCISTB alignment checks as QEMU writes them, with lines to change. */
const alignment = (...middle: string[]) =>
  hunk(
    INST,
    PCISTB,
    '     if (offset % 8) {',
    '         goto specification_error;',
    '     }',
    ...middle,
    '     if (((offset & 0xfff) + len) > 0x1000) {',
    '         goto specification_error;',
    '     }',
  );

describe('changes placed by their neighbours', () => {
  test('an added check goes after the check before it, with the outcome of the label it jumps to', () => {
    const r = recogniseZpciChanges(
      [alignment('+    if (len > 4000) {', '+        goto specification_error;', '+    }')],
      {
        baseline: 'v6.0',
      },
    );
    const c = changeOf(r, `pcistb/patch-0-3`, 'added');
    assert.deepEqual(c.edits[0].op === 'insert-node' && c.edits[0].at, { after: 'offset-align' });
    const ids = checkIndex(r.after)
      .filter((e) => e.instruction === 'pcistb')
      .map((e) => e.id);
    assert.equal(ids[ids.indexOf('offset-align') + 1], 'patch-0-3');
    assert.deepEqual(c.place.postLines, [3, 4, 5]);
    // The goto's label is not in the hunk: QEMU's specification_error is a specification exception.
    const node = checkIndex(r.after).find((e) => e.id === 'patch-0-3');
    assert.deepEqual(node?.outcome, { pgm: 'PGM_SPECIFICATION' });
  });
  test('a removed check; the behaviour difference it makes', () => {
    const r = recogniseZpciChanges(
      [
        hunk(
          INST,
          PCISTB,
          '     if (offset % 8) {',
          '         goto specification_error;',
          '     }',
          '-    if ((len <= 8) || (len % 8) ||',
          '-        (len > pbdev->pci_group->zpci_group.maxstbl)) {',
          '-        goto specification_error;',
          '-    }',
          '     if (((offset & 0xfff) + len) > 0x1000) {',
        ),
      ],
      { baseline: 'v6.0' },
    );
    assert.deepEqual(modelChanges(r), ['removed pcistb/length']);
    const d = cat()
      .compare(r.before, r.after, 'zpci-intercepted', { depth: 3 })
      .differences.find((x) => x.steps.join('; ') === 'plug; enable; pcistb 0 0 4096');
    assert.ok(d);
    assert.equal(outcome(d.before[2]), 'pgm:PGM_SPECIFICATION');
    assert.equal(d.after[2].outcome.kind, 'staging-overflow');
  });
  test('a check moved past an earlier one: moved, with the lint naming what it passed', () => {
    const r = recogniseZpciChanges(
      [
        alignment(
          '-    if ((len <= 8) || (len % 8) ||',
          '-        (len > pbdev->pci_group->zpci_group.maxstbl)) {',
          '-        goto specification_error;',
          '-    }',
        ),
        hunk(
          INST,
          PCISTB,
          '     if (gaddr & 0x07UL) {',
          '         goto specification_error;',
          '     }',
          '+    if ((len <= 8) || (len % 8) ||',
          '+        (len > pbdev->pci_group->zpci_group.maxstbl)) {',
          '+        goto specification_error;',
          '+    }',
        ),
      ],
      { baseline: 'v6.0' },
    );
    changeOf(r, 'pcistb/length', 'moved');
    assert.deepEqual(
      r.lints.map((l) => l.code),
      ['check-reordered'],
    );
    assert.match(
      r.lints[0].message,
      /pcistb\/length now on the other side of pcistb\/boundary, pcistb\/gaddr-align/,
    );
    // 4096 bytes at an unaligned guest address: the gaddr check decides now, not the length.
    const o = cat().simulate(r.after, 'zpci-intercepted', 'plug; enable; pcistb 0 0 4096 4')[0].trace[2];
    assert.equal(decidedBy(o), 'pcistb/gaddr-align');
  });
  test('an outcome the model has no name for: the node says "not modelled" and so does the step', () => {
    const r = recogniseZpciChanges(
      [
        alignment(
          '+    if (len == 24) {',
          '+        s390_program_interrupt(env, PGM_PROTECTION, ra);',
          '+        return 0;',
          '+    }',
        ),
      ],
      { baseline: 'v6.0' },
    );
    const o = cat().simulate(r.after, 'zpci-intercepted', 'plug; enable; pcistb 0 0 24')[0].trace[2];
    assert.deepEqual(o.outcome, { kind: 'not-modelled', reason: 'program interrupt PGM_PROTECTION' });
  });
  test('a check with no neighbour in the hunk to place it by: "not modelled", with its place (no guess)', () => {
    const r = recogniseZpciChanges(
      [
        hunk(
          INST,
          PCISTB,
          '     /* nothing near */',
          '+    if (len == 24) {',
          '+        goto specification_error;',
          '+    }',
        ),
      ],
      {
        baseline: 'v6.0',
      },
    );
    assert.deepEqual(modelChanges(r), []);
    const c = r.changes.find((x) => x.change === 'not-modelled');
    assert.ok(c);
    assert.match(c.message, /no neighbour to place it by/);
    assert.deepEqual(c.place.postLines, [1, 2, 3]);
    assert.deepEqual(checkIndex(r.after), checkIndex(r.before));
  });
});

describe('refactors that change no check: no model edit, "none"', () => {
  test('DPRINTF -> trace_*: tracing only', () => {
    const r = recogniseZpciChanges([
      hunk(
        INST,
        'pcilg_service_call',
        '     if (!pbdev) {',
        '-        DPRINTF("pcilg no pci dev\\n");',
        '+        trace_s390_pci_nodev("pcilg", fh);',
        '         setcc(cpu, ZPCI_PCI_LS_INVAL_HANDLE);',
        '         return 0;',
        '     }',
      ),
    ]);
    assert.deepEqual(
      r.changes.map((c) => [c.change, c.key]),
      [['reformatted', 'pcilg/lookup']],
    );
    assert.deepEqual(modelChanges(r), []);
  });
  test('device_legacy_reset -> device_cold_reset in the CLP disable path', () => {
    const r = recogniseZpciChanges([
      hunk(
        INST,
        'clp_service_call',
        '         goto out;',
        '     }',
        '-    device_legacy_reset(DEVICE(pbdev));',
        '+    device_cold_reset(DEVICE(pbdev));',
        '     pbdev->fh &= ~FH_MASK_ENABLE;',
      ),
    ]);
    assert.deepEqual(
      r.changes.map((c) => c.change),
      ['none'],
    );
    assert.match(r.changes[0].message, /device_legacy_reset -> device_cold_reset/);
  });
});

describe('what the reader leaves to others, and bad input', () => {
  test('files outside zPCI are listed, not read; empty images give nothing, and say why', () => {
    const r = recogniseZpciChanges([
      hunk('drivers/vfio/pci/vfio_pci_config.c', 'vfio_basic_config_write', '-a;', '+b;'),
      { file: INST, pre: [], post: [] },
    ]);
    assert.deepEqual(r.files, { read: [INST], outside: ['drivers/vfio/pci/vfio_pci_config.c'] });
    assert.deepEqual(r.changes, []);
  });
  test('a function of these files the model does not cover: "not modelled: <function> in <file>"', () => {
    const r = recogniseZpciChanges([
      hunk(INST, 'stpcifc_service_call', '     x = 1;', '-    y = 2;', '+    y = 3;'),
    ]);
    assert.deepEqual(notModelled(r), ['not modelled: stpcifc_service_call in hw/s390x/s390-pci-inst.c']);
  });
  test('C that does not parse: "not modelled" at its lines, never a crash', () => {
    const r = recogniseZpciChanges([hunk(INST, PCISTB, '+    if (len > ) {{', '+    @@@', '+    }')]);
    assert.ok(r.changes.length > 0);
    assert.ok(r.changes.every((c) => c.change === 'not-modelled' || c.change === 'none'));
  });
  test('an unknown baseline id: a problem naming the known ones, and the detected baseline used', () => {
    const r = recogniseZpciChanges([alignment()], { baseline: 'v9.9' });
    assert.match(r.problems[0], /^unknown QEMU version "v9\.9"; known: v2\.3, .*; detected \S+ instead$/);
    assert.ok(!r.baseline.given);
  });
  test('a given baseline is used as given, with the evidence against it', () => {
    const r = recogniseZpciChanges([alignment()], { baseline: 'v2.3' });
    assert.equal(r.baseline.id, 'v2.3');
    assert.equal(r.baseline.given, true);
    assert.match(r.baseline.evidence[0], /pre-images match v2\.3 at 0 of 2 items of pcistb_service_call/);
  });
  test(`at most ${MAX_HUNKS} hunks are read, and the cut is reported; the output grows with the input only`, () => {
    const many = Array.from({ length: MAX_HUNKS + 5 }, () =>
      hunk(INST, 'rpcit_service_call', '-a = 1;', '+a = 2;'),
    );
    const r = recogniseZpciChanges(many);
    assert.ok(r.problems.includes(`only the first ${MAX_HUNKS} of ${MAX_HUNKS + 5} hunks were read`));
    assert.ok(r.changes.length <= MAX_HUNKS);
  });
});
