/** zPCI step scripts: parsing, normalising, optional arguments, and errors naming the bad step. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepScriptError } from '../../../../server/src/model/steps';
import {
  EXPLORED_LENGTHS,
  EXPLORED_OFFSETS,
  ZPCI_EXPLORATION_ALPHABET,
  ZPCI_STEP_ACTIONS,
  ZPCI_STEP_SYNTAX,
  parseZpciSteps,
} from '../../../../server/src/model/zpci';

test('a script parses into normalised steps', () => {
  const steps = parseZpciSteps(
    'plug;enable\n pcistb 0 4032 128 ; pcilg 15 0x0 4; pcistg 0 8 8 4; pcistb 0 0 16 0x4',
  );
  assert.deepEqual(
    steps.map((s) => s.text),
    ['plug', 'enable', 'pcistb 0 0xfc0 128', 'pcilg 15 0 4', 'pcistg 0 8 8 4', 'pcistb 0 0 16 4'],
  );
  assert.deepEqual([steps[2].as, steps[2].offset, steps[2].len, steps[2].gaddr], [0, 0xfc0, 128, undefined]);
  assert.equal(steps[4].r2, 4);
  assert.equal(steps[5].gaddr, 4);
});

test('the default R2 (2) and GADDR (0) are not printed', () => {
  assert.deepEqual(
    parseZpciSteps('pcilg 0 0 8 2; pcistb 0 0 16 0').map((s) => s.text),
    ['pcilg 0 0 8', 'pcistb 0 0 16'],
  );
});

function error(script: string): StepScriptError {
  try {
    parseZpciSteps(script);
  } catch (e) {
    assert.ok(e instanceof StepScriptError);
    return e;
  }
  assert.fail(`no error for ${script}`);
}

test('an unknown action names the step, its position, its column and the zPCI actions', () => {
  const e = error('plug; enabel; pcistb 0 0 16');
  assert.equal(e.position, 2);
  assert.equal(e.column, 6);
  assert.match(
    e.message,
    /step 2 "enabel": unknown action "enabel"; known zPCI actions: plug, enable, disable, pcilg/,
  );
});

test('a wrong number of arguments shows the usage with the optional ones in brackets', () => {
  assert.match(
    error('plug; pcistb 0 0').message,
    /step 2 "pcistb 0 0": expected 3 to 4 argument\(s\) \(pcistb AS OFFSET LEN \[GADDR\]\), got 2/,
  );
  assert.match(
    error('pcilg 0 0 8 2 1').message,
    /expected 3 to 4 argument\(s\) \(pcilg AS OFFSET LEN \[R2\]\), got 5/,
  );
  assert.match(error('plug 1').message, /expected 0 argument\(s\) \(plug\), got 1/);
});

test('values out of range say what is allowed', () => {
  assert.match(error('pcilg 16 0 8').message, /AS must be 0\.\.0xf \(got "16"\)/);
  assert.match(error('pcilg 0 0 16').message, /LEN must be 0\.\.0xf \(got "16"\)/);
  assert.match(error('pcistb 0 0 8192').message, /LEN must be 0\.\.0x1fff \(got "8192"\)/);
  assert.match(error('pcistb 0 0x100000000 8').message, /OFFSET must be 0\.\.0xffffffff/);
  assert.match(error('pcistb 0 zz 8').message, /OFFSET must be .*\(got "zz"\)/);
  assert.match(error(' ; \n ').message, /empty/);
});

test('every action has a syntax row and a summary', () => {
  for (const a of ZPCI_STEP_ACTIONS) assert.ok(ZPCI_STEP_SYNTAX[a].summary.length > 10, a);
});

test('the exploration alphabet holds PCISTB at every explored length and offset, each step once', () => {
  const texts = ZPCI_EXPLORATION_ALPHABET.map((s) => s.text);
  assert.equal(new Set(texts).size, texts.length);
  for (const o of EXPLORED_OFFSETS)
    for (const l of EXPLORED_LENGTHS) assert.ok(texts.includes(parseZpciSteps(`pcistb 0 ${o} ${l}`)[0].text));
  for (const s of ['plug', 'enable', 'disable', 'error', 'reset']) assert.ok(texts.includes(s));
});
