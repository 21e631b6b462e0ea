import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { displayName, mailHeaders, readHeaderBlock } from '../../../server/src/mail/headers';
import { DocumentText } from '../../../server/src/mail/documentText';

test('folded headers are unfolded and RFC 2047 words decoded', () => {
  const doc = new DocumentText(
    [
      'From: =?UTF-8?Q?H=C3=A5kon?= Bugge <hb@example.org>',
      'Subject: [PATCH v2] PCI: a very long subject that the mailer',
      ' folded onto a second line',
      'Message-ID: <abc@example.org>',
      'References: <one@example.org>',
      '\t<two@example.org>',
      'X-Noise: kept out',
      '',
      'body',
    ].join('\r\n'),
  );
  const block = readHeaderBlock(doc, 0, doc.count);
  assert.equal(block.blankSeparated, true);
  assert.equal(block.end, 7);
  const h = mailHeaders(block);
  assert.equal(h.from, 'Håkon Bugge <hb@example.org>');
  assert.equal(h.subject, '[PATCH v2] PCI: a very long subject that the mailer folded onto a second line');
  assert.equal(h.messageId, 'abc@example.org');
  assert.deepEqual(h.references, ['one@example.org', 'two@example.org']);
});

test('display names from the forms reviewers meet', () => {
  assert.equal(displayName('Bjorn Helgaas <[email protected]>'), 'Bjorn Helgaas');
  assert.equal(displayName('"Tian, Kevin" <kevin.tian@example.com>'), 'Tian, Kevin');
  assert.equal(displayName('alex@example.com (Alex Williamson)'), 'Alex Williamson');
  assert.equal(
    displayName('kvm-owner@x.org <kvm-owner@x.org> On Behalf Of Niklas Schnelle'),
    'Niklas Schnelle',
  );
  assert.equal(displayName('Matthew Rosato'), 'Matthew Rosato');
  assert.equal(displayName('[email protected]'), undefined);
  assert.equal(displayName(undefined), undefined);
});
