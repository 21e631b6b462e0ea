/** Step scripts: parsing, normalising, and clear errors naming the bad step. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SCRIPT_STEPS, parseSteps, StepScriptError } from '../../../server/src/model/steps';

test('a script parses into normalised steps', () => {
  const steps = parseSteps('open; write-cmd 2;read-cmd\nwrite-cmd-byte 0x05 0x04 ; write-cmd 0x00020002');
  assert.deepEqual(
    steps.map((s) => s.text),
    ['open', 'write-cmd 0x0002', 'read-cmd', 'write-cmd-byte 0x05 0x04', 'write-cmd 0x00020002'],
  );
  assert.equal(steps[3].offset, 5);
  assert.equal(steps[3].value, 4);
});

function error(script: string): StepScriptError {
  try {
    parseSteps(script);
  } catch (e) {
    assert.ok(e instanceof StepScriptError);
    return e;
  }
  assert.fail(`no error for ${script}`);
}

test('an unknown action names the step, its position and the known actions', () => {
  const e = error('open; wrte-cmd 2; read-cmd');
  assert.equal(e.position, 2);
  assert.equal(e.column, 6);
  assert.match(e.message, /step 2 "wrte-cmd 2": unknown action "wrte-cmd"; known actions: open, write-cmd/);
});

test('bad arguments say what is expected', () => {
  assert.match(
    error('open; write-cmd').message,
    /step 2 "write-cmd": expected 1 argument\(s\) \(write-cmd VALUE\), got 0/,
  );
  assert.match(error('open; write-cmd zz').message, /VALUE must be 0x0\.\.0xffffffff \(got "zz"\)/);
  assert.match(error('open; write-cmd-byte 0x06 1').message, /OFFSET must be 0x04 or 0x05 \(got "0x06"\)/);
  assert.match(error('open; read-cmd 4').message, /expected 0 argument/);
  assert.match(error(' ; ').message, /empty/);
});

test('a script over MAX_SCRIPT_STEPS is refused at the first step past the limit, naming it', () => {
  const script = (n: number) => Array.from({ length: n }, () => 'read-cmd').join('; ');
  assert.equal(parseSteps(script(MAX_SCRIPT_STEPS)).length, MAX_SCRIPT_STEPS);
  assert.throws(
    () => parseSteps(script(MAX_SCRIPT_STEPS + 1)),
    (e: unknown) =>
      e instanceof StepScriptError &&
      e.position === MAX_SCRIPT_STEPS + 1 &&
      e.column === MAX_SCRIPT_STEPS * 'read-cmd; '.length &&
      new RegExp(`over the limit of ${MAX_SCRIPT_STEPS} steps`).test(e.message),
  );
});
