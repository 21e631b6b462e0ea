/** The model's typed observations and its one formatter: step texts, cells, annotated decisions. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { parseCExpression } from '../../../server/src/csrc/cexpr';
import { behaviourMatrix, kernelSpec, simulateScript } from '../../../server/src/analysis/modelRuns';
import {
  annotatedExpression,
  commandText,
  decodeCommand,
  observationOf,
  observedText,
  stepDisplay,
  stepSummary,
} from '../../../server/src/model/index';

before(async () => {
  await initCParser();
});

describe('observations of a run', () => {
  test('typed fields and the text that names the step', () => {
    const { trace } = simulateScript(
      's390-vf-detached',
      'v5.8',
      'open; mmio-read; write-cmd 0x0002; read-cmd',
    );
    assert.deepEqual(observationOf(trace[1]), { step: 'mmio-read', outcome: 'EIO', text: 'mmio-read: EIO' });
    const write = observationOf(trace[2]);
    assert.equal(write.outcome, null, 'a COMMAND write is no access');
    assert.equal(write.restore, 'none');
    assert.equal(write.text, 'write-cmd 0x0002: no visible effect');
    const read = observationOf(trace[3]);
    assert.equal(read.read, trace[3].read);
    assert.equal(observedText(read), `ok, reads 0x${trace[3].read!.toString(16).padStart(4, '0')}`);
  });

  test('a restore, an early return and a zap are said in words', () => {
    const performed = simulateScript('pf', 'v5.8', 'open; backdoor-reset; write-cmd 0x0002').trace[2];
    assert.equal(observationOf(performed).text, 'write-cmd 0x0002: BARs restored + log');
    assert.equal(stepSummary(performed), 'write-cmd 0x0002 BARs restored + log');
    assert.equal(performed.display.cells.restore, 'BARs restored + log', 'one wording in every view');
    const skipped = simulateScript('vf', 'v5.8', 'open; write-cmd 0x0002; write-cmd 0x0002').trace[2];
    assert.equal(observedText(observationOf(skipped)), 'restore called, returns early');
    assert.equal(stepSummary(skipped), 'write-cmd 0x0002 restore called, returns early');
    assert.equal(skipped.display.cells.restore, 'restore called, returns early');
    assert.match(skipped.display.text, /^restore called, returns early, virt 0x0002 MEMORY, /);
    const zapped = simulateScript('pf', 'v5.19', 'open; d3hot').trace[1];
    assert.deepEqual(observationOf(zapped), {
      step: 'd3hot',
      outcome: null,
      zap: true,
      text: 'd3hot: mmaps zapped',
    });
  });

  test('the matrix reading and the simulator display of a step', () => {
    const { trace } = simulateScript('vf', 'v5.8', 'open; read-cmd; mmio-read');
    assert.equal(stepSummary(trace[0]), 'open vMEM=1');
    assert.equal(stepSummary(trace[1]), `read-cmd 0x${trace[1].read!.toString(16).padStart(4, '0')}`);
    assert.equal(stepSummary(trace[2]), 'mmio-read ok');
    const shown = stepDisplay(trace[2]);
    assert.deepEqual(Object.keys(shown.cells), ['outcome', 'read', 'restore', 'virt', 'hw']);
    assert.equal(shown.cells.outcome, 'ok');
    assert.equal(shown.text, `ok, virt ${commandText(trace[2].virt)}, hw ${commandText(trace[2].hw)}`);
    assert.equal(
      shown.cells.virt,
      `0x${trace[2].virt.toString(16).padStart(4, '0')} ${decodeCommand(trace[2].virt)}`,
    );
    assert.equal(commandText(0), '0x0000', 'no bit names for 0');
    assert.deepEqual(trace[2].display, shown, 'every trace entry carries its display');
  });

  test('COMMAND bits decoded from the one table; bits it does not name in hex', () => {
    assert.equal(decodeCommand(0x0406), 'MEMORY|MASTER|INTX_DISABLE');
    assert.equal(decodeCommand(0), '-');
    assert.equal(decodeCommand(0x8002), 'MEMORY|0x8000');
  });
});

describe('the two-kernel matrix', () => {
  test('"=" where every step observes the same, the first differing step in the formatter\'s words elsewhere', () => {
    const m = behaviourMatrix(['v5.8', 'v5.10'].map(kernelSpec));
    assert.equal(m.pairs?.length, m.devices.length * m.scenarios.length);
    const same = m.pairs!.filter((p) => !p.differs);
    assert.ok(same.length > 0 && same.every((p) => p.text === '=' && p.differingSteps === 0));
    const detached = m.pairs!.filter((p) => p.device === 's390-vf-detached' && p.differs);
    assert.ok(
      detached.some((p) => /^mmio-read: EIO \u2192 ok( \(\+\d+ more\))?$/.test(p.text)),
      detached.map((p) => p.text).join(' | '),
    );
    assert.equal(behaviourMatrix().pairs, undefined, 'no pairs for more than two kernels');
  });
});

describe('a decision with the value of each operand', () => {
  test('the operands of || and && carry their values; what short-circuit skipped carries none', () => {
    const { trace } = simulateScript('s390-vf-detached', 'v5.10', 'open; mmio-read');
    const w = trace[1].why.find((x) => x.decision === 'memory-enabled')!;
    assert.equal(w.text, 'pdev->no_command_memory (1) || (cmd & PCI_COMMAND_MEMORY)');
    const v58 = simulateScript('s390-vf-detached', 'v5.8', 'open; mmio-read').trace[1].why[0];
    assert.equal(v58.text, 'pdev->is_virtfn (0) || (cmd & PCI_COMMAND_MEMORY) (0)');
  });

  test('nesting keeps its parentheses; negation shows the value of what it negates', () => {
    const expr = parseCExpression('a && (b || !c) && !(d && e)');
    const ops = [
      { name: 'a', value: 1 },
      { name: 'b', value: 0 },
      { name: 'c', value: 0 },
      { name: 'd', value: 0 },
    ];
    assert.equal(annotatedExpression(expr, ops), 'a (1) && (b (0) || !c (0)) && !(d (0) && e)');
  });

  test('a dev_flags test is one operand, valued by the flag', () => {
    const { trace } = simulateScript('vf', 'v4-dev_flags', 'open; mmio-read');
    const w = trace[1].why[0];
    assert.match(w.text, /^\(pdev->dev_flags & PCI_DEV_FLAGS_FORCE_COMMAND_MEM\) \(1\) \|\| /);
  });
});
