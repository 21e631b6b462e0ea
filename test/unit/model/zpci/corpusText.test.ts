/**
 * The versions' C text is QEMU's: for each real patch of the corpus that changes a check, the
 * post-image version's condition appears in the patch's post-image (added and context lines) and
 * the pre-image version's in its pre-image (removed and context lines), whitespace aside.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readShared, sharedMissing } from '../../../support/shared';
import { checkIndex, zpciVersionSpec } from '../../../../server/src/model/zpci';
import type { ZpciInstruction } from '../../../../server/src/model/zpci';

interface Row {
  file: string;
  before: string;
  after: string;
  /** instruction/id of checks whose C text each side must contain ('plug/msix-fence' for the fence). */
  nodes: string[];
  /** Nodes whose pre-image text the model writes normalised (a `switch (len)` as its condition). */
  normalisedBefore?: string[];
}

const ROWS: Row[] = [
  {
    file: 'z01_qemu-s390x-pci-reject-ops-disabled-function.patch',
    before: 'v2.3',
    after: 'v2.6',
    nodes: ['pcilg/lookup', 'pcistg/lookup', 'pcistb/lookup'],
  },
  {
    file: 'z02_qemu-s390x-pci-check-mr-dispatch-operand-exception.patch',
    before: 'v2.7',
    after: 'v2.8',
    nodes: ['pcilg/bar-result', 'pcistg/bar-result', 'pcistb/write-result'],
  },
  {
    file: 'z05_qemu-s390x-pci-rework-pcistg.patch',
    before: 'v2.9',
    after: 'v2.12',
    nodes: ['pcistg/fh-enable', 'pcistg/bar-length', 'pcistg/config-length'],
  },
  {
    file: 'z06_qemu-s390x-pci-rework-pcilg.patch',
    before: 'v2.9',
    after: 'v2.12',
    nodes: ['pcilg/fh-enable', 'pcilg/bar-length', 'pcilg/config-length'],
  },
  {
    file: 'z07_qemu-s390x-pci-rework-pcistb-maxstbl-4k.patch',
    before: 'v2.9',
    after: 'v2.12',
    nodes: [
      'pcistb/fh-enable',
      'pcistb/pcias-invalid',
      'pcistb/offset-align',
      'pcistb/length',
      'pcistb/boundary',
      'pcistb/gaddr-align',
    ],
    normalisedBefore: ['pcistb/length'],
  },
  {
    file: 'q09_s390x-pci-no-msix-fence_git-show.diff',
    before: 'v2.9',
    after: 'v7.2',
    nodes: ['plug/msix-fence'],
  },
];

const squash = (s: string) => s.replace(/\s+/g, '');

function images(text: string): { pre: string; post: string } {
  const pre: string[] = [];
  const post: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) post.push(line.slice(1));
    else if (line.startsWith('-')) pre.push(line.slice(1));
    else if (line.startsWith(' ')) {
      pre.push(line.slice(1));
      post.push(line.slice(1));
    }
  }
  return { pre: squash(pre.join('\n')), post: squash(post.join('\n')) };
}

function conditionOf(version: string, node: string): string | undefined {
  const spec = zpciVersionSpec(version);
  assert.ok(spec, version);
  const [instruction, id] = node.split('/');
  if (instruction === 'plug') return spec.plug.checks.find((c) => c.id === id)?.condition;
  return checkIndex(spec).find((e) => e.instruction === (instruction as ZpciInstruction) && e.id === id)
    ?.text;
}

describe('corpus: the versions hold the C text the real patches write', { skip: sharedMissing() }, () => {
  for (const r of ROWS)
    for (const node of r.nodes)
      test(`${r.file.slice(0, 3)} ${node}: ${r.before} in the pre-image, ${r.after} in the post-image`, () => {
        const { pre, post } = images(readShared('corpus', 'real', r.file));
        const after = conditionOf(r.after, node);
        assert.ok(after, `${r.after} has ${node}`);
        assert.ok(post.includes(squash(after)), `${r.after} ${node} \`${after}\` not in the post-image`);
        const before = conditionOf(r.before, node);
        if (before && before !== after && !r.normalisedBefore?.includes(node))
          assert.ok(pre.includes(squash(before)), `${r.before} ${node} \`${before}\` not in the pre-image`);
      });
});
