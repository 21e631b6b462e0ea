/** The bounded caches keep the most recently used entries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from '../../../server/src/model/cache';

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
