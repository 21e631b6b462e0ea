/** The state machine's details: byte writes, dword writes, INTx, D3hot, zaps and explanations. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import {
  UnknownIdError,
  comparePolicies,
  kernelSpec,
  simulateScript,
} from '../../../server/src/analysis/modelRuns';
import type { KernelId } from '../../../server/src/model/types';
import { policyOf } from '../../../server/src/analysis/modelRuns';
import { CLOSED_STATE, applyStep, deviceContext, type DeviceState } from '../../../server/src/model/machine';
import { deviceKind } from '../../../server/src/model/devices';
import { parseSteps } from '../../../server/src/model/steps';
import { sameRuntime } from '../../../server/src/model/vfio/config/run';

before(async () => {
  await initCParser();
});

test('the high byte of COMMAND (0x05) sets INTX_DISABLE in vconfig only, and is no COMMAND write', () => {
  const { trace } = simulateScript('pf', 'v5.10', 'open; write-cmd-byte 0x05 0x04; read-cmd');
  assert.equal(trace[1].restore, undefined);
  assert.equal(trace[1].zap, false);
  assert.equal(trace[1].virt & 0x0400, 0x0400);
  assert.equal(trace[1].hw & 0x0400, 0);
  assert.equal(trace[2].read, 0x0403);
});

test('a byte write at 0x04 is a COMMAND write: clearing MEMORY zaps and blocks', () => {
  const { trace } = simulateScript('pf', 'v5.10', 'open; write-cmd-byte 0x04 0x01; mmio-read');
  assert.equal(trace[1].restore, 'none');
  assert.equal(trace[1].zap, true);
  assert.equal(trace[2].outcome, 'EIO');
});

test('a 4-byte write at 0x04 acts on COMMAND with its low half', () => {
  const { trace } = simulateScript('pf', 'v5.10', 'open; write-cmd 0x00100006; read-cmd');
  assert.equal(trace[1].action, 'write-cmd 0x00100006');
  assert.equal(trace[2].read, 0x0006);
});

test('v5.19 blocks access in D3hot and zaps on entering it; v5.10 lets it reach a sleeping device', () => {
  const g = simulateScript(
    'vf',
    'v5.19',
    'open; mmap-touch; d3hot; mmio-read; mmap-touch; d0; mmio-read',
  ).trace;
  assert.deepEqual(
    g.map((e) => e.outcome ?? (e.zap ? 'zap' : '-')),
    ['-', 'ok', 'zap', 'EIO', 'SIGBUS', '-', 'ok'],
  );
  const f = simulateScript('vf', 'v5.10', 'open; mmap-touch; d3hot; mmio-read; mmap-touch').trace;
  assert.deepEqual(
    f.map((e) => e.outcome ?? '-'),
    ['-', 'ok', '-', 'unclaimed', 'unclaimed'],
  );
});

test('v5.7 never gates: a PF with MEMORY cleared answers unclaimed; v5.8-rc1 does not gate ioeventfds yet', () => {
  assert.equal(simulateScript('pf', 'v5.7', 'open; write-cmd 0; mmap-touch').trace[2].outcome, 'unclaimed');
  assert.equal(
    simulateScript('pf', 'v5.8-rc1', 'open; write-cmd 0; ioeventfd-write').trace[2].outcome,
    'unclaimed',
  );
  assert.equal(
    simulateScript('pf', 'v5.8', 'open; write-cmd 0; ioeventfd-write').trace[2].outcome,
    'dropped',
  );
});

test('every decision explains itself with its C text and operand values', () => {
  const { trace } = simulateScript('vf', 'v5.10', 'open; mmio-read');
  const why = trace[1].why[0];
  assert.equal(why.decision, 'memory-enabled');
  assert.equal(why.expression, 'pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY)');
  assert.deepEqual(why.operands[0], {
    name: 'pdev->no_command_memory',
    value: 1,
    meaning: 'set by pci_iov_add_virtfn',
  });
  assert.equal(why.result, 1);
});

test('the s390 detached setter of v2 explains its condition', () => {
  const { trace } = simulateScript('s390-vf-detached', 'v2-detached_vf', 'open');
  const operand = trace[0].why[0].operands.find((o) => o.name === 'pdev->detached_vf');
  assert.equal(operand?.value, 1);
  assert.match(
    operand?.meaning ?? '',
    /set by s390-pcibios_enable_device because zdev->vfn && !zdev->zbus->multifunction/,
  );
});

test('unknown ids are refused with the valid ones listed', () => {
  assert.throws(
    () => kernelSpec('v9.9' as KernelId),
    (e: unknown) => e instanceof UnknownIdError && /valid kernels: v3.6, v4.19, v5.7/.test(e.message),
  );
  assert.throws(
    () => comparePolicies('v5.8', 'v5.10', { device: 'gpu' as 'pf' }),
    /valid device kinds: pf, pf-no-io/,
  );
  assert.throws(
    () => simulateScript('pf', 'v5.8', 'read-cmd'),
    /step 1 "read-cmd": the device is not open yet/,
  );
  assert.throws(
    () => simulateScript('pf', 'v5.8', 'open; open'),
    /step 2 "open": the device is already open/,
  );
});

test('a step that changes nothing gives back the state it started from; one that changes it, a new state', () => {
  const policy = policyOf('v5.10');
  const ctx = deviceContext(policy, deviceKind('pf'));
  const step = (state: DeviceState, text: string) => applyStep(ctx, state, parseSteps(text)[0], {})[0].state;
  const open = step(CLOSED_STATE, 'open');
  assert.notEqual(open, CLOSED_STATE);
  // a read of COMMAND and an access the device answers change nothing of the state
  assert.equal(step(open, 'read-cmd'), open);
  assert.equal(step(open, 'mmio-read'), open);
  // a write of the same COMMAND value it holds copies no overlay, and changes nothing
  const written = step(open, 'write-cmd 0x0000');
  const again = step(written, 'write-cmd 0x0000');
  assert.equal(again, written);
  // d3hot changes the power state: a new state, which the same step from it leaves alone
  const asleep = step(open, 'd3hot');
  assert.notEqual(asleep, open);
  assert.equal(asleep.power, 3);
  assert.equal(open.power, 0);
  assert.equal(step(asleep, 'd3hot'), asleep);
});

test('sameRuntime compares every field of a state but its byte overlays', () => {
  const fields = Object.keys(CLOSED_STATE).filter((k) => k !== 'vconfig' && k !== 'hw');
  assert.ok(fields.length >= 11);
  for (const k of fields) {
    const v = (CLOSED_STATE as unknown as Record<string, unknown>)[k];
    const other = typeof v === 'boolean' ? !v : typeof v === 'number' ? v + 1 : `${String(v)}x`;
    const changed = { ...CLOSED_STATE, [k]: other } as DeviceState;
    assert.equal(sameRuntime(CLOSED_STATE, changed), false, `a state differing only in ${k}`);
  }
  assert.equal(sameRuntime(CLOSED_STATE, { ...CLOSED_STATE, vconfig: { 4: 2 } }), true);
});
