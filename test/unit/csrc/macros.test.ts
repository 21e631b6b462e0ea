/** Macro expansion as a token walk (issue 13): nothing of the document becomes a regular expression. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandMacros, MAX_EXPANDED_LENGTH, parseMacro } from '../../../server/src/csrc/macros';

test('a #define with identifier parameters is read; its uses expand with each argument in parentheses', () => {
  const m = parseMacro('#define dev_is_vf(d) ((d)->is_virtfn || \\\n (d)->no_command_memory)');
  assert.deepEqual(m, {
    name: 'dev_is_vf',
    params: ['d'],
    body: '((d)->is_virtfn ||   (d)->no_command_memory)',
  });
  assert.equal(
    expandMacros('dev_is_vf(pdev) || (cmd & PCI_COMMAND_MEMORY)', [m!]),
    '((((pdev))->is_virtfn ||   ((pdev))->no_command_memory)) || (cmd & PCI_COMMAND_MEMORY)',
  );
});

test('parameter lists holding (, [ or * are no macro the model expands (they used to crash the analysis)', () => {
  for (const list of ['a(', 'a[', 'a*', '(a+)+', 'a|b', '*a', '[a-', 'a\\']) {
    assert.equal(parseMacro(`#define dev_is_vf(${list}) (a)->is_virtfn`), undefined, list);
  }
  // a definition handed in with such a parameter does not throw either
  const bad = { name: 'dev_is_vf', params: ['a(', '[', '*'], body: 'a( [ *' };
  assert.equal(expandMacros('dev_is_vf(x, y, z)', [bad]), '(a( [ *)');
});

test('a crafted parameter list does not backtrack: the expansion walks tokens once', () => {
  const params = Array.from({ length: 200 }, (_, i) => `a${i}`);
  const body = Array.from({ length: 200 }, (_, i) => `a${i}`).join(' + ');
  const m = { name: 'f', params, body };
  const out = expandMacros(`f(${params.map(() => 'x').join(',')})`, [m]);
  assert.equal(out, `(${params.map(() => '(x)').join(' + ')})`);
});

test('parameters are replaced at once, as the preprocessor does: an argument is not expanded again', () => {
  const m = parseMacro('#define pick(a, b) a + b')!;
  assert.equal(expandMacros('pick(b, x)', [m]), '((b) + (x))');
  // replacement text is text: $& and $1 in an argument stay as written
  assert.equal(expandMacros('pick($&, $1)', [m]), '(($&) + ($1))');
});

test('an expansion that would make the text longer than the bound is not made; the call stays', () => {
  const terms = Array.from({ length: 20_000 }, (_, i) => `(d)->f${i}`).join(' || ');
  const m = parseMacro(`#define dev_is_vf(d) (${terms})`)!;
  const text = 'dev_is_vf(pdev) || (cmd & PCI_COMMAND_MEMORY)';
  assert.equal(expandMacros(text, [m]), text);
  // a self-referring macro stops too, within the bound
  const self = parseMacro('#define f(x) f(x) || f(x)')!;
  assert.ok(expandMacros('f(1)', [self]).length <= MAX_EXPANDED_LENGTH);
});

test('a name is matched as a whole identifier, spaces allowed before the parenthesis', () => {
  const m = parseMacro('#define vf(d) ((d)->is_virtfn)')!;
  assert.equal(expandMacros('xvf(p) || vfx(p) || vf  (p)', [m]), 'xvf(p) || vfx(p) || ((((p))->is_virtfn))');
});
