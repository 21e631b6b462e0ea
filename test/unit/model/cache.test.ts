/** The bounded caches keep the most recently used entries; a trim starts the memo tables anew. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache, ContentNames, MemoTable, trimCaches } from '../../../server/src/model/cache';
import { configTablesKey } from '../../../server/src/model/vfio/config/compilePart';
import { kernelSpec } from '../../../server/src/analysis/modelRuns';
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

test('content names: one name per text while it is among the last named, never one name for two texts', () => {
  const names = new ContentNames('N', 2);
  const a = names.name('text a');
  const b = names.name('text b');
  assert.notEqual(a, b);
  assert.equal(names.name(`text ${'a'}`), a); // the same text (another string): the same name, now the newest
  names.name('text c'); // b, the least recently named, is forgotten
  assert.equal(names.size, 2);
  assert.equal(names.name('text a'), a);
  const b2 = names.name('text b'); // forgotten: a new name, never the old one
  assert.ok(![a, b].includes(b2), b2);
  const d = names.name('text d');
  assert.equal(new Set([a, b, b2, d]).size, 4);
  trimCaches(0); // the caches' trim leaves the names alone
  assert.equal(names.name('text d'), d);
  assert.equal(names.name('text b'), b2);
});

test("a config part's tables key is a short name: one for equal tables, another for other tables", () => {
  const v58 = kernelSpec('v5.8').config;
  const key = configTablesKey(v58);
  assert.ok(key.length < 16, key);
  // a copy of the part (what a patch that changes no table makes) names the same tables
  assert.equal(configTablesKey({ ...v58, perms: v58.perms.map((p) => ({ ...p })) }), key);
  // one permission mask changed: other tables
  const [first, ...rest] = v58.perms;
  const changed = { ...first, rows: first.rows.map((r, i) => (i === 0 ? { ...r, write: 'ALL_WRITE' } : r)) };
  assert.notEqual(configTablesKey({ ...v58, perms: [changed, ...rest] }), key);
  // tables the kernels differ in have other names
  assert.notEqual(configTablesKey(kernelSpec('v3.6').config), key);
});
