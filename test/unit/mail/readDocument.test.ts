/** readDocument on small documents written here: each input form, series, threads, bad input. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readDocument } from '../../../server/src/mail';

const DIFF = [
  'diff --git a/drivers/pci/iov.c b/drivers/pci/iov.c',
  'index 1111111..2222222 100644',
  '--- a/drivers/pci/iov.c',
  '+++ b/drivers/pci/iov.c',
  '@@ -1,2 +1,3 @@ int pci_iov_add_virtfn(struct pci_dev *dev, int id)',
  ' \tvirtfn->is_virtfn = 1;',
  '+\tvirtfn->no_command_memory = 1;',
  ' \tvirtfn->physfn = pci_dev_get(dev);',
];

function patchMail(from: string, subject: string, id: string, extra: string[], body: string[]): string[] {
  return [
    'From mboxrd@z Thu Jan  1 00:00:00 1970',
    `From: ${from}`,
    `Subject: ${subject}`,
    `Message-ID: <${id}>`,
    ...extra,
    '',
    ...body,
    '',
  ];
}

test('an mbox series: cover letter with diffstat, patches, a reply quoting a patch', () => {
  const text = [
    ...patchMail(
      'M R <m@example.org>',
      '[PATCH v4 0/2] vfio/pci: cover',
      'c@x',
      [],
      [
        'Why this series.',
        '',
        'M R (2):',
        '  PCI/IOV: mark VFs',
        '  vfio/pci: use the mark',
        '',
        ' drivers/pci/iov.c | 1 +',
        ' 1 file changed, 1 insertion(+)',
      ],
    ),
    ...patchMail(
      'M R <m@example.org>',
      '[PATCH v4 1/2] PCI/IOV: mark VFs',
      'p1@x',
      ['In-Reply-To: <c@x>'],
      [
        'Mark them.',
        '',
        '>From here on it is a body line.',
        'Signed-off-by: M R <m@example.org>',
        '---',
        ...DIFF,
        '-- ',
        '2.40.0',
      ],
    ),
    ...patchMail(
      'M R <m@example.org>',
      '[PATCH v4 2/2] vfio/pci: use the mark',
      'p2@x',
      ['In-Reply-To: <c@x>'],
      [...DIFF],
    ),
    ...patchMail(
      'Bjorn H <b@example.org>',
      'Re: [PATCH v4 1/2] PCI/IOV: mark VFs',
      'r1@x',
      ['In-Reply-To: <p1@x>', 'References: <c@x> <p1@x>'],
      [
        'On Wed, Sep 02, 2020 at 03:46:34PM -0400, M R wrote:',
        ...DIFF.map((l) => '> ' + l),
        '',
        'Looks fine to me.',
        '',
        'Reviewed-by: Bjorn H <b@example.org>',
      ],
    ),
  ].join('\n');
  const r = readDocument(text);
  assert.equal(r.kind, 'mbox');
  assert.equal(r.messages.length, 4);
  assert.deepEqual(
    r.patches.map((p) => [p.subject, p.version, p.index, p.total, p.isCover]),
    [
      ['[PATCH v4 0/2] vfio/pci: cover', 4, 0, 2, true],
      ['[PATCH v4 1/2] PCI/IOV: mark VFs', 4, 1, 2, false],
      ['[PATCH v4 2/2] vfio/pci: use the mark', 4, 2, 2, false],
    ],
  );
  assert.deepEqual(
    r.patches[0].diffstat?.map((d) => [d.path, d.changes]),
    [['drivers/pci/iov.c', 1]],
  );
  // the mboxrd-escaped line is unescaped and mapped one character to the right
  assert.equal(r.messages[1].trailers[0].name, 'Signed-off-by');
  // reply links: patches to the cover, the review to patch 1
  assert.deepEqual(
    r.messages.map((m) => m.replyTo),
    [undefined, 0, 0, 1],
  );
  const review = r.messages[3];
  assert.equal(review.author, 'Bjorn H');
  assert.equal(review.isReply, true);
  assert.equal(review.quotes.length, 1);
  assert.equal(review.quotes[0].author, 'M R');
  assert.equal(review.quotes[0].replyText, 'Looks fine to me.\n\nReviewed-by: Bjorn H <b@example.org>');
  assert.equal(review.files.length, 1);
  assert.equal(review.files[0].quoteDepth, 1);
  assert.equal(review.files[0].hunks[0].lines[1].text, '\tvirtfn->no_command_memory = 1;');
  // document order, quoted file included; positions point at the text
  assert.equal(r.files.length, 3);
  assert.deepEqual(
    r.files.map((f) => [f.messageIndex, f.quoteDepth]),
    [
      [1, 0],
      [2, 0],
      [3, 1],
    ],
    'each file diff names the message holding it',
  );
  const lines = text.split('\n');
  for (const f of r.files) {
    for (const l of f.hunks[0].lines) {
      assert.equal(lines[l.range.start.line].slice(l.range.start.character, l.range.end.character), l.text);
    }
  }
});

test('mboxrd ">From " lines lose one ">" and keep their place', () => {
  const text = patchMail('a <a@x>', '[PATCH] x', 'a@x', [], ['>From the start', '>>From deeper', 'end']).join(
    '\n',
  );
  const r = readDocument(text);
  assert.equal(r.messages[0].quotes.length, 1, 'only ">>From" is still a quote after unescaping');
});

test('git log -p: one message and one patch per commit', () => {
  const text = [
    'commit 0123456789abcdef0123456789abcdef01234567',
    'Author: A <a@x>',
    'Date:   Mon Jan 1 00:00:00 2024 +0000',
    '',
    '    PCI/IOV: first',
    '',
    ...DIFF,
    '',
    'commit 89abcdef0123456789abcdef0123456789abcdef',
    'Author: B <b@x>',
    'Date:   Tue Jan 2 00:00:00 2024 +0000',
    '',
    '    vfio/pci: second',
    '',
    ...DIFF,
  ].join('\n');
  const r = readDocument(text);
  assert.equal(r.kind, 'diff');
  assert.deepEqual(
    r.patches.map((p) => [p.subject, p.files.length]),
    [
      ['PCI/IOV: first', 1],
      ['vfio/pci: second', 1],
    ],
  );
  assert.equal(r.messages[1].author, 'B');
  assert.deepEqual(
    r.files.map((f) => f.messageIndex),
    [0, 1],
  );
});

test('a bare diff is one pseudo-message whose files belong to no mail', () => {
  const r = readDocument(DIFF.join('\n') + '\n');
  assert.equal(r.kind, 'diff');
  assert.equal(r.messages.length, 1);
  assert.equal(r.files.length, 1);
  assert.equal(r.files[0].messageIndex, -1);
  assert.equal(r.patches.length, 1);
});

test('a headerless page: cover, patches cut at the git signature, replies cut at attributions', () => {
  const text = [
    '[PATCH v2] PCI: cover title',
    'From: M R',
    'Date: Wed Aug 12 2020',
    'Changes for v2: things.',
    'M R (1):',
    'PCI: the patch',
    'drivers/pci/iov.c | 1 +',
    '1 file changed, 1 insertion(+)',
    '--',
    '1.8.3.1',
    'Commit message of the patch.',
    ...DIFF,
    '--',
    '1.8.3.1',
    'On Wed, Aug 12, 2020 at 10:00:00AM -0400, M R wrote:',
    '> Commit message of the patch.',
    'Why is this needed at all?',
    'On 8/12/20 11:00 AM, Bjorn H wrote:',
    '> Why is this needed at all?',
    'Because the firmware does not emulate it.',
  ].join('\n');
  const r = readDocument(text);
  assert.equal(r.kind, 'web-archive');
  assert.equal(r.messages.length, 4);
  assert.equal(r.messages[0].author, 'M R');
  assert.equal(r.patches[0].isCover, true);
  assert.equal(r.patches[0].version, 2);
  assert.equal(r.patches[1].files.length, 1);
  assert.deepEqual(
    r.messages.map((m) => m.replyTo),
    [undefined, undefined, 1, 2],
  );
  assert.equal(r.messages[2].author, 'Bjorn H', 'named by the attribution of the reply that quotes it');
  assert.deepEqual(
    r.files.map((f) => f.messageIndex),
    [1],
  );
});

test('a web-archive page: every file diff, quoted or not, names its message; short hunks are warnings', () => {
  // the archive dropped the blank context line of the patch's hunk (announced 4, shows 3)
  const hunk = ['@@ -1,4 +1,4 @@', ' a', '-b', '+c', ' d'];
  const text = [
    '[PATCH] PCI: the patch',
    'From: M R',
    'Commit message of the patch.',
    'diff --git a/drivers/pci/iov.c b/drivers/pci/iov.c',
    '--- a/drivers/pci/iov.c',
    '+++ b/drivers/pci/iov.c',
    ...hunk.slice(0, 4),
    '--',
    '1.8.3.1',
    'On Wed, Aug 12, 2020 at 10:00:00AM -0400, M R wrote:',
    '> Commit message of the patch.',
    'Not this way.',
    'On 8/12/20 11:00 AM, Bjorn H wrote:',
    '> Not this way.',
    'Here, read it again:',
    '> > diff --git a/drivers/pci/iov.c b/drivers/pci/iov.c',
    '> > --- a/drivers/pci/iov.c',
    '> > +++ b/drivers/pci/iov.c',
    ...hunk.slice(0, 3).map((l) => '> > ' + l),
    'and that is all.',
  ].join('\n');
  const r = readDocument(text);
  assert.equal(r.kind, 'web-archive');
  assert.equal(r.messages.length, 3);
  assert.deepEqual(
    r.files.map((f) => [f.messageIndex, f.quoteDepth]),
    [
      [0, 0],
      [2, 2],
    ],
  );
  const short = r.problems.filter((p) => /announces/.test(p.message));
  assert.deepEqual(
    short.map((p) => [p.severity, p.range.start.line]),
    [
      ['warning', 10],
      ['info', 23],
    ],
  );
  assert.match(short[0].message, /a web-archive copy drops blank lines/);
  assert.match(short[1].message, /trimmed in the reply/);
});

test('format=flowed: body lines stay as sent, the reviewer text after a quote is unflowed', () => {
  const text = [
    'From: B <b@x>',
    'Subject: Re: [PATCH] x',
    'Content-Type: text/plain; charset=utf-8; format=flowed',
    '',
    '> +\tvirtfn->no_command_memory = 1;',
    '',
    'This paragraph was wrapped by ',
    'the mailer into two lines.',
  ].join('\n');
  const r = readDocument(text);
  assert.equal(r.messages[0].quotes[0].replyText, 'This paragraph was wrapped by the mailer into two lines.');
  assert.equal(r.lineCount, 8);
});

test('an archive cut "< truncated lines N-M >" is named at its line', () => {
  const r = readDocument(
    ['[PATCH] x: y', 'From: A', '', 'text', '< truncated lines 12-40 >', 'more'].join('\n'),
  );
  assert.deepEqual(
    r.problems.filter((p) => /left out lines 12-40/.test(p.message)).map((p) => p.range.start.line),
    [4],
  );
});

test('bad input never throws and says where it went wrong', () => {
  const inputs = [
    '',
    '\n\n\n',
    '\u0000\u0001\u0002 binary \uFFFD',
    'From x\nSubject: no blank line after the headers\nbody?',
    'Content-Type: multipart/mixed\n\nno boundary',
    'From: a\nContent-Transfer-Encoding: base64\n\n!!!! not base64 ####\n',
    'x'.repeat(200_000),
    '@@ -1,5 +1,5 @@\n-only one line',
    '> '.repeat(10_000) + 'deep',
  ];
  for (const input of inputs) {
    const r = readDocument(input);
    assert.ok(Array.isArray(r.messages));
    for (const p of r.problems) assert.ok(p.range.start.line >= 0 && p.message.length > 0);
  }
  const cut = readDocument(
    ['--- a/f.c', '+++ b/f.c', '@@ -1,7 +1,7 @@', ' one', '-two', '+three'].join('\n'),
  );
  assert.ok(
    cut.problems.some((p) => p.range.start.line >= 2 && /7/.test(p.message)),
    'the short hunk is named',
  );
});
