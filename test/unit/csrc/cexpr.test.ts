/** C text to the model's expression form through tree-sitter-c, with the kernel's spellings normalised. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { MAX_EXPR_DEPTH, parseCExpression } from '../../../server/src/csrc/cexpr';
import type { Expr } from '../../../server/src/model/types';

before(async () => {
  await initCParser();
});

/** The expression without its source texts, as a compact string. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'ident':
      return e.name;
    case 'call':
      return `${e.callee}(${e.args.map(shape).join(',')})`;
    case 'unary':
      return `${e.op}${shape(e.arg)}`;
    case 'binary':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'cond':
      return `(${shape(e.test)} ? ${shape(e.then)} : ${shape(e.else)})`;
    case 'unknown':
      return `?{${e.text}}`;
  }
}

test('the same field written through vdev or directly is one name', () => {
  assert.equal(shape(parseCExpression('vdev->pdev->is_virtfn')), 'pdev->is_virtfn');
  assert.equal(shape(parseCExpression('pdev -> is_virtfn')), 'pdev->is_virtfn');
  assert.equal(shape(parseCExpression('virtfn->no_command_memory')), 'pdev->no_command_memory');
});

test('statements give the expression they carry', () => {
  assert.equal(
    shape(parseCExpression('return pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);')),
    '(pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY))',
  );
  assert.equal(shape(parseCExpression('if (pdev->is_virtfn)')), 'pdev->is_virtfn');
  assert.equal(shape(parseCExpression('if (pdev->no_command_memory) {')), 'pdev->no_command_memory');
  assert.equal(
    shape(
      parseCExpression('} else if (offset == PCI_COMMAND && vdev->pdev->is_virtfn) {'.replace(/^}\s*/, '')),
    ),
    '((offset == PCI_COMMAND) && pdev->is_virtfn)',
  );
});

test('casts, parentheses and byte-order helpers disappear', () => {
  assert.equal(
    shape(parseCExpression('u16 cmd = le16_to_cpu(*(__le16 *)&vdev->vconfig[PCI_COMMAND]);')),
    'vdev->vconfig[PCI_COMMAND]',
  );
  assert.equal(shape(parseCExpression('((u16)(cmd) & (PCI_COMMAND_MEMORY))')), '(cmd & PCI_COMMAND_MEMORY)');
  assert.equal(
    shape(parseCExpression('!!(pdev->dev_flags & PCI_DEV_FLAGS_FORCE_COMMAND_MEM)')),
    '!!(pdev->dev_flags & PCI_DEV_FLAGS_FORCE_COMMAND_MEM)',
  );
});

test('numbers, calls, conditionals and shifts', () => {
  assert.equal(shape(parseCExpression('(1 << 12) | 0x10u')), '((1 << 12) | 16)');
  assert.equal(shape(parseCExpression('vfio_need_bar_restore(vdev)')), 'vfio_need_bar_restore(vdev)');
  assert.equal(shape(parseCExpression('a ? b : 0')), '(a ? b : 0)');
  assert.equal(
    shape(parseCExpression('pdev->current_state < PCI_D3hot')),
    '(pdev->current_state < PCI_D3hot)',
  );
});

test('arithmetic as QEMU writes its length checks', () => {
  assert.equal(
    shape(parseCExpression('len <= 8 || len % 8 || len > maxstbl')),
    '(((len <= 8) || (len % 8)) || (len > maxstbl))',
  );
  assert.equal(shape(parseCExpression('len / 8 * 8')), '((len / 8) * 8)');
  assert.equal(
    shape(parseCExpression('!len || len > 8 - (offset & 7)')),
    '(!len || (len > (8 - (offset & 7))))',
  );
});

test('what it cannot read becomes unknown with the text', () => {
  assert.equal(parseCExpression('offset == (').kind, 'unknown');
  assert.equal(parseCExpression('').kind, 'unknown');
  const assignment = parseCExpression('a = b');
  assert.deepEqual(assignment, { kind: 'unknown', text: 'a = b' });
  assert.equal(shape(parseCExpression('x && sizeof(int)')), '(x && ?{sizeof(int)})');
});

test('parentheses, casts and byte-order helpers cost no depth: 10,000 of them read exactly', () => {
  const deep = '('.repeat(10_000) + 'pdev->no_command_memory' + ')'.repeat(10_000);
  assert.equal(
    shape(parseCExpression(`${deep} || (u16)(le16_to_cpu((cmd)))`)),
    '(pdev->no_command_memory || cmd)',
  );
});

test('an expression nested deeper than MAX_EXPR_DEPTH is one unknown that says so (CLI and server alike)', () => {
  const cases = {
    'not-chain': '!'.repeat(100_000) + 'pdev->is_virtfn',
    'or-chain': Array.from({ length: 3_000 }, (_, i) => `pdev->f${i}`).join(' || '),
    ternary: Array.from({ length: 1_000 }, (_, i) => `a${i} ? ${i} :`).join(' ') + ' 0',
    calls: 'f('.repeat(MAX_EXPR_DEPTH + 1) + 'x' + ')'.repeat(MAX_EXPR_DEPTH + 1),
  };
  for (const [name, text] of Object.entries(cases)) {
    const e = parseCExpression(`return ${text};`);
    assert.equal(e.kind, 'unknown', name);
    assert.equal(e.kind === 'unknown' && e.reason, `nested more than ${MAX_EXPR_DEPTH} deep`, name);
    assert.equal(e.text, `return ${text};`, name);
  }
  // just inside the bound it is read
  const inside = '!'.repeat(MAX_EXPR_DEPTH - 1) + 'x';
  assert.equal(shape(parseCExpression(inside)), inside);
});
