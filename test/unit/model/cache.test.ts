/** The bounded caches keep the most recently used entries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache, trimCaches } from '../../../server/src/model/cache';

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
