import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseSubject } from '../../../server/src/mail/subject';

const cases: [
  string,
  {
    reply: boolean;
    prefix?: string;
    version?: number;
    index?: number;
    total?: number;
    rfc?: boolean;
    title: string;
  },
][] = [
  [
    '[PATCH v4 2/3] s390/pci: Mark VFs',
    { reply: false, prefix: 'PATCH', version: 4, index: 2, total: 3, title: 's390/pci: Mark VFs' },
  ],
  [
    '[RFC PATCH v2 0/8] vfio: cover',
    { reply: false, prefix: 'RFC PATCH', version: 2, index: 0, total: 8, rfc: true, title: 'vfio: cover' },
  ],
  [
    '[PATCH1/8] rust: pci: x',
    { reply: false, prefix: 'PATCH', version: 1, index: 1, total: 8, title: 'rust: pci: x' },
  ],
  [
    '[PATCH net-next 3/5] ice: y',
    { reply: false, prefix: 'PATCH net-next', version: 1, index: 3, total: 5, title: 'ice: y' },
  ],
  [
    'Re: [PATCH v4 1/3] PCI/IOV: z',
    { reply: true, prefix: 'PATCH', version: 4, index: 1, total: 3, title: 'PCI/IOV: z' },
  ],
  [
    'RE: [EXTERNAL] Re: [PATCH] PCI: hv: w',
    { reply: true, prefix: 'PATCH', version: 1, title: 'PCI: hv: w' },
  ],
  [
    'Aw: [PATCH 1/1][v2] PCI: rebar',
    { reply: true, prefix: 'PATCH', version: 2, index: 1, total: 1, title: 'PCI: rebar' },
  ],
  [
    '[Intel-wired-lan] [PATCH net] ice: probe',
    { reply: false, prefix: 'PATCH net', version: 1, title: 'ice: probe' },
  ],
  [
    '[RFC 2/2] s390/pci: links',
    { reply: false, prefix: 'RFC', version: 1, index: 2, total: 2, rfc: true, title: 's390/pci: links' },
  ],
];

for (const [subject, want] of cases) {
  test(`subject tag: ${subject}`, () => {
    const got = parseSubject(subject);
    assert.equal(got.isReply, want.reply);
    assert.equal(got.title, want.title);
    assert.ok(got.tag, 'a tag is found');
    assert.equal(got.tag.prefix, want.prefix);
    assert.equal(got.tag.version, want.version);
    assert.equal(got.tag.index, want.index);
    assert.equal(got.tag.total, want.total);
    assert.equal(got.tag.rfc, want.rfc ?? false);
  });
}

test('a subject without a series tag keeps its whole title', () => {
  const got = parseSubject('Patch "x: y" has been added to the 5.10-stable tree');
  assert.equal(got.tag, undefined);
  assert.equal(got.isReply, false);
  assert.equal(got.title, 'Patch "x: y" has been added to the 5.10-stable tree');
});

// Subjects near the common "[PATCH vN n/m] title" shape, which is read by a fast path: each must
// read exactly as the general walk reads it (a leading space keeps a subject off the fast path).
const nearCommon = [
  '[PATCH] pci: a',
  '[PATCH 3/7] pci: b',
  '[PATCH v2] vfio: c',
  '[PATCH v12 01/10] vfio: d',
  '[PATCH v0 0/0] e',
  '[PATCH]f',
  '[PATCH] ',
  '[PATCH]',
  '[PATCH 1/2] Re: g',
  '[PATCH 1/2] fwd: h',
  '[PATCH 1/2] [RFC] i',
  '[PATCH v2 ] j',
  '[PATCH v 1/2] k',
  '[PATCH vfio 1/2] l',
  '[PATCH 1/] m',
  '[PATCH 1/2 v2] n',
  '[PATCH V2 1/2] o',
  '[PATCH 1/2] p ',
  '[PATCH 1/2]  q',
  '[PATCH\t1/2] r',
  '[PATCHv2 1/2] s',
  '[PATCH,1/2] t',
  '[PATCH] Revert "u"',
  '[PATCH] Sv: v',
];

for (const s of nearCommon) {
  test(`fast path reads "${s}" as the general walk does`, () => {
    assert.deepEqual(parseSubject(s), parseSubject(` ${s}`));
  });
}
