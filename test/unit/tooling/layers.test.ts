/**
 * The layers are checked by the linter (`npx eslint .` in npm test, rule vfio-lens/layers of
 * scripts/eslintLayers.mjs): a file that breaks one fails the lint, one that keeps to it passes.
 * Each probe is linted through the ESLint API as if it were a file of the tree (nothing is written).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import { projectRoot } from '../../support/shared';

const eslint = new ESLint({ cwd: projectRoot });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return result.messages.filter((m) => m.ruleId === 'vfio-lens/layers').map((m) => m.message);
}

const VIOLATIONS: [string, string, RegExp][] = [
  ['server/src/model/probe.ts', "import { readDocument } from '../mail/index';\n", /model is pure/],
  [
    'server/src/model/core/probe.ts',
    "import type { Finding } from '../../analysis/types';\n",
    /model is pure/,
  ],
  ['server/src/model/probe.ts', "import * as fs from 'node:fs';\n", /imports the package "node:fs"/],
  ['server/src/diff/probe.ts', "import type { ReadProblem } from '../mail/types';\n", /knows no mail/],
  ['server/src/mail/probe.ts', "import { parseDiffs } from '../diff/parse';\n", /through diff\/index\.ts/],
  [
    'server/src/csrc/probe.ts',
    "import { analyzeText } from '../analysis/index';\n",
    /nothing above the model/,
  ],
  ['server/src/csrc/probe.ts', "import type { Hunk } from '../diff/types';\n", /not diffs/],
  [
    'server/src/csrc/config/probe.ts',
    "import { BoundedCache } from '../../model/cache';\n",
    /through model\/index/,
  ],
  [
    'server/src/analysis/probe.ts',
    "import type { SimulateParams } from '../lsp/protocol';\n",
    /re-exports them/,
  ],
  [
    'server/src/analysis/probe.ts',
    "import { KERNELS } from '../model/kernels';\n",
    /through model\/index\.ts/,
  ],
  [
    'client/src/probe.ts',
    "import type { TraceEntry } from '../../server/src/model/types';\n",
    /shared protocol/,
  ],
  [
    'client/webview/probe.ts',
    "import { analyzeText } from '../../server/src/analysis/index';\n",
    /shared protocol/,
  ],
  ['server/src/lsp/probe.ts', "export { main } from '../cli/main';\n", /started by the CLI/],
  ['server/src/diff/probe.ts', "export type X = import('../mail/types').ReadProblem;\n", /knows no mail/],
];

describe('import layers (vfio-lens/layers)', () => {
  for (const [file, code, why] of VIOLATIONS) {
    test(`a deliberate violation fails: ${file} ${code.trim()}`, async () => {
      const errors = await layerErrors(file, code);
      assert.equal(errors.length, 1, `errors: ${errors.join('; ')}`);
      assert.match(errors[0], why);
    });
  }

  test('imports that keep to the layers pass', async () => {
    const fine: [string, string][] = [
      [
        'server/src/model/probe.ts',
        "import { PCI_COMMAND } from './pci';\nimport type { Expr } from './types';\n",
      ],
      ['server/src/model/core/probe.ts', "import { BoundedCache } from '../cache';\n"],
      ['server/src/csrc/config/probe.ts', "import { CONFIG_VARIANTS } from '../../model/vfio/config';\n"],
      [
        'server/src/analysis/probe.ts',
        "import { KERNELS } from '../model/index';\nimport { readDocument } from '../mail/index';\n",
      ],
      [
        'server/src/mail/probe.ts',
        "import { parseDiffs } from '../diff/index';\nimport type { Range } from '../common/position';\n",
      ],
      ['server/src/lsp/probe.ts', "import type { Finding } from '../analysis/types';\n"],
      [
        'client/src/probe.ts',
        "import { SimulateRequest } from '../../server/src/lsp/protocol';\nimport * as vscode from 'vscode';\n",
      ],
      ['test/unit/probe.test.ts', "import { KERNELS } from '../../server/src/model/kernels';\n"],
    ];
    for (const [file, code] of fine) assert.deepEqual(await layerErrors(file, code), [], file);
  });

  test('the tree as it is keeps to the layers', async () => {
    const results = await eslint.lintFiles(['server/src', 'client']);
    const broken = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'vfio-lens/layers').map((m) => `${r.filePath}: ${m.message}`),
    );
    assert.deepEqual(broken, []);
  });
});
