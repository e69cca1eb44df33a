import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentMap } from '../../src/util/recent-map';

test('keeps at most max entries, forgetting the least recently used first', () => {
  const map = new RecentMap<string, number>(3);
  map.set('a', 1).set('b', 2).set('c', 3);
  assert.equal(map.get('a'), 1); // a is now the most recent: b is the oldest
  map.set('d', 4);
  assert.equal(map.size, 3);
  assert.equal(map.get('b'), undefined);
  assert.deepEqual(
    ['a', 'c', 'd'].map((k) => map.get(k)),
    [1, 3, 4],
  );
});

test('writing an existing key refreshes it instead of adding one', () => {
  const map = new RecentMap<string, number>(2);
  map.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
  assert.equal(map.size, 2);
  assert.equal(map.get('a'), 10);
  assert.equal(map.get('b'), undefined);
});

test('stays bounded over many distinct keys', () => {
  const map = new RecentMap<number, number>(1000);
  for (let i = 0; i < 100_000; i++) map.set(i, i);
  assert.equal(map.size, 1000);
  assert.equal(map.get(99_000), 99_000); // the 1,000 newest stay
  assert.equal(map.get(98_999), undefined);
});

test('refuses a size that cannot hold an entry', () => {
  assert.throws(() => new RecentMap(0), /max must be a positive integer, got 0/);
});
