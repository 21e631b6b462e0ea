/** The bounded caches keep the most recently used entries; a trim starts the memo tables anew. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache, MemoTable, trimCaches } from '../../../server/src/model/cache';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { policyOf } from '../../../server/src/analysis/modelRuns';
import {
  applyStep,
  CLOSED_STATE,
  deviceContext,
  decisionsConsulted,
  allDecisionsOf,
} from '../../../server/src/model/machine';
import { DEVICE_KINDS } from '../../../server/src/model/index';
import { parseSteps } from '../../../server/src/model/steps';

test('the least recently used entry goes first when the limit is passed', () => {
  const cache = new BoundedCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
});

test('trim keeps the most recently used entries; trimCaches keeps a share of each limit, at least one', () => {
  const cache = new BoundedCache<string, number>(16);
  for (let i = 0; i < 10; i++) cache.set(`k${i}`, i);
  assert.equal(cache.get('k0'), 0); // now the newest
  cache.trim(3);
  assert.equal(cache.size, 3);
  assert.deepEqual(
    ['k0', 'k8', 'k9', 'k1'].map((k) => cache.get(k)),
    [0, 8, 9, undefined],
  );
  const small = new BoundedCache<string, number>(2);
  small.set('a', 1);
  small.set('b', 2);
  // (the reads above left k9 the newest, then k8)
  trimCaches(1 / 8); // 16 -> 2 entries, 2 -> 1
  assert.equal(cache.size, 2);
  assert.deepEqual(
    ['k8', 'k9'].map((k) => cache.get(k)),
    [8, 9],
  );
  assert.equal(small.size, 1);
  assert.equal(small.get('b'), 2);
});

test('a memo table answers what was set for a key until a trim, which forgets every entry', () => {
  const memo = new MemoTable<object, string>();
  const a = {};
  const b = {};
  memo.set(a, 'a');
  memo.set(b, 'b');
  assert.equal(memo.get(a), 'a');
  assert.equal(memo.get(b), 'b');
  trimCaches(1 / 8);
  assert.equal(memo.get(a), undefined);
  assert.equal(memo.get(b), undefined);
  memo.set(a, 'again');
  assert.equal(memo.get(a), 'again');
});

test('what an observation carries besides what it shows survives a trim, and no copy or JSON sees it', async () => {
  await initCParser();
  const pf = DEVICE_KINDS.find((d) => d.id === 'pf');
  assert.ok(pf);
  const ctx = deviceContext(policyOf('v5.8'), pf);
  const [open] = parseSteps('open');
  const [{ state, entry: opened }] = applyStep(ctx, CLOSED_STATE, open, {});
  const [mmio] = parseSteps('mmio-read');
  const [{ entry }] = applyStep(ctx, state, mmio, {});
  const consulted = decisionsConsulted(entry);
  assert.ok(consulted.includes('memory-enabled'), consulted.join(', '));
  // open's vfio_config_init decisions are kept beside its Command-register `why`
  const all = allDecisionsOf(opened);
  assert.ok(all.length > opened.why.length, `${all.length} decisions, ${opened.why.length} shown`);
  trimCaches(0);
  assert.deepEqual(decisionsConsulted(entry), consulted);
  assert.equal(allDecisionsOf(opened).length, all.length);
  assert.deepEqual(decisionsConsulted({ ...entry }), []);
  // carried as own properties that nothing enumerating the observation meets
  const carried = Object.getOwnPropertySymbols(entry);
  assert.ok(carried.length > 0);
  assert.deepEqual(
    carried.filter((k) => Object.prototype.propertyIsEnumerable.call(entry, k)),
    [],
  );
});
