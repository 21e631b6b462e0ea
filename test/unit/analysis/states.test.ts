/** The state diagram behind the simulator panel (vfioLens/states). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { reachableStates } from '../../../server/src/analysis/modelRuns';

test('a detached s390 VF: MMIO right after open is EIO under v5.8 and ok under v5.10', async () => {
  await initCParser();
  const afterOpen = (kernel: 'v5.8' | 'v5.10') => {
    const r = reachableStates('s390-vf-detached', kernel, { depth: 2 });
    const opened = r.edges.find((e) => e.from === r.initial && e.step === 'open')!.to;
    return { opened, mmio: r.edges.find((e) => e.from === opened && e.step === 'mmio-read') };
  };
  const before = afterOpen('v5.8');
  const after = afterOpen('v5.10');
  assert.match(before.opened, /virt=0x0000/, 'v5.8 opens with the virtual MEMORY bit clear');
  assert.match(after.opened, /virt=0x0002/, 'v5.10 forces it on for a no_command_memory device');
  assert.equal(before.mmio?.outcome, 'EIO');
  assert.equal(after.mmio?.outcome, 'ok');
});

test('states start closed, every edge joins known states, and the bound is reported', async () => {
  await initCParser();
  const r = reachableStates('pf', 'v5.8', { depth: 6 });
  assert.equal(r.initial, r.states[0].id);
  assert.match(r.initial, /^closed/);
  const ids = new Set(r.states.map((s) => s.id));
  for (const e of r.edges) assert.ok(ids.has(e.from) && ids.has(e.to), JSON.stringify(e));
  const shallow = reachableStates('pf', 'v5.8', { depth: 1 });
  assert.equal(shallow.truncated, true);
  assert.equal(shallow.states.length, 2, 'one step from closed: only open');
});
