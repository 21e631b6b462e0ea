/** The decision recognisers (one row per decision point) and csrc reading plain image lines. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { readCode, type ImageLine } from '../../../server/src/csrc/codeFacts';
import {
  bodyOfText,
  DECISION_RECOGNIZERS,
  recogniseDecision,
} from '../../../server/src/csrc/decisionRecognizers';
import { initCParser } from '../../../server/src/csrc/treeSitter';
import { DECISION_POINTS } from '../../../server/src/model/index';

before(async () => {
  await initCParser();
});

const view = (fn: string | undefined, expression: string, body = '', bodyEndsOpen = false) => ({
  fn,
  expression,
  body: bodyOfText(body),
  bodyEndsOpen,
});

describe('decision recognisers', () => {
  test('one row per decision point', () => {
    assert.deepEqual(DECISION_RECOGNIZERS.map((r) => r.decision).sort(), [...DECISION_POINTS].sort());
  });

  test('each decision is recognised by what its statement does', () => {
    const cases: [Parameters<typeof recogniseDecision>, string | undefined, string?][] = [
      [
        [
          'return_statement',
          view('__vfio_pci_memory_enabled', 'pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY)'),
        ],
        'memory-enabled',
        'statement',
      ],
      [['return_statement', view('vfio_pci_probe', 'pdev->is_virtfn')], undefined],
      [
        ['if_statement', view('vfio_basic_config_read', 'offset == PCI_COMMAND && vdev->pdev->is_virtfn')],
        'read-or-in',
        'statement',
      ],
      [
        [
          'if_statement',
          view('vfio_basic_config_write', 'new_mem && virt_mem && !phys_mem', 'vfio_bar_restore(vdev);'),
        ],
        'restore-condition',
        'statement',
      ],
      [
        ['if_statement', view('vfio_bar_restore', 'pdev->is_virtfn', '{ return; }')],
        'restore-skip',
        'statement',
      ],
      [
        [
          'if_statement',
          view('vfio_config_init', 'pdev->no_command_memory', 'vconfig |= PCI_COMMAND_MEMORY;'),
        ],
        'init-force-memory',
        'body',
      ],
      [
        ['if_statement', view('vfio_config_init', 'pdev->no_command_memory', '/* memory enable */', true)],
        'init-force-memory',
        'trailing',
      ],
      [
        ['if_statement', view('vfio_config_init', 'pdev->no_command_memory', 'x = 1;')],
        'init-force-memory',
        'marker',
      ],
    ];
    for (const [args, decision, confidence] of cases) {
      const found = recogniseDecision(...args);
      assert.equal(found?.decision, decision, args[1].expression);
      if (confidence) assert.equal(found?.confidence, confidence);
    }
  });

  test('the first row that claims a statement decides, also when it decides it is none', () => {
    // an if inside vfio_bar_restore that guards vfio_bar_restore() is claimed by restore-condition as
    // no decision, so restore-skip (which would take an early return there) is not asked
    assert.equal(
      recogniseDecision('if_statement', view('vfio_bar_restore', 'virt_mem && !phys_mem', '{ return; }')),
      undefined,
    );
  });
});

describe('csrc reads image lines, not hunks', () => {
  const lines = (texts: string[], changed: boolean): ImageLine[] =>
    texts.map((text, line) => ({
      text,
      changed,
      range: { start: { line, character: 0 }, end: { line, character: text.length } },
    }));

  test('a C file is a new image with nothing before it', () => {
    const file = lines(
      [
        'bool __vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev)',
        '{',
        '\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
        '}',
      ],
      true,
    );
    const facts = readCode({ heading: '', pre: [], post: file });
    assert.equal(facts.post.decisions.length, 1);
    const d = facts.post.decisions[0];
    assert.equal(d.decision, 'memory-enabled');
    assert.equal(d.functionName, '__vfio_pci_memory_enabled');
    assert.deepEqual(d.lines, [2]);
    assert.equal(facts.post.image[d.lines[0]].range.start.line, 2, 'places come from the lines given');
    assert.equal(facts.pre.decisions.length, 0);
  });
});
