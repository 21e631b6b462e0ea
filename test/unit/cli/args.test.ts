import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { choice, intOption, option, parseArgs, UsageError } from '../../../server/src/cli/args';

test('parseArgs keeps repeated options in order and positional files', () => {
  const a = parseArgs(
    ['--kernel', 'v5.8', 'x.patch', '--kernel=v5.10', '-', '--explain'],
    ['kernel'],
    ['explain'],
  );
  assert.deepEqual(a.options.get('kernel'), ['v5.8', 'v5.10']);
  assert.deepEqual(a.positional, ['x.patch', '-']);
  assert.ok(a.flags.has('explain'));
  assert.equal(option(a, 'kernel'), 'v5.10');
});

test('parseArgs names an unknown option and a missing value', () => {
  assert.throws(
    () => parseArgs(['--nope'], []),
    (e: Error) => e instanceof UsageError && /--nope/.test(e.message),
  );
  assert.throws(() => parseArgs(['--format'], ['format']), /--format needs a value/);
});

test('choice and intOption reject values outside their range', () => {
  assert.throws(
    () => choice(parseArgs(['--format', 'xml'], ['format']), 'format', ['text', 'json'], 'text'),
    /xml/,
  );
  assert.equal(intOption(parseArgs([], ['depth']), 'depth', 6), 6);
  assert.throws(() => intOption(parseArgs(['--depth', '0'], ['depth']), 'depth', 6), /whole number/);
});
