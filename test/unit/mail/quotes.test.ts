import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { attributionAt, depths, quoteDepthOf, quotedView } from '../../../server/src/mail/quotes';
import { DocumentText, PlainLines } from '../../../server/src/mail/documentText';

function lines(text: string): PlainLines {
  const doc = new DocumentText(text);
  return new PlainLines(doc, 0, doc.count);
}

test('quote depth with and without spaces between the markers', () => {
  assert.deepEqual(quoteDepthOf('> a'), { depth: 1, end: 1 });
  assert.deepEqual(quoteDepthOf('>> a'), { depth: 2, end: 2 });
  assert.deepEqual(quoteDepthOf('> > a'), { depth: 2, end: 3 });
  assert.deepEqual(quoteDepthOf('> >> a'), { depth: 3, end: 4 });
  assert.deepEqual(quoteDepthOf('>'), { depth: 1, end: 1 });
  assert.deepEqual(quoteDepthOf(' > not a quote'), { depth: 0, end: 0 });
});

test('a quote written with "> " loses the space; one written with ">" keeps the context space', () => {
  const spaced = lines(['> @@ -1,2 +1,2 @@', '>  same', '> -old', '> +new'].join('\n'));
  const v1 = quotedView(spaced, depths(spaced), 1);
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => v1.text(i)),
    ['@@ -1,2 +1,2 @@', ' same', '-old', '+new'],
  );
  assert.deepEqual(v1.position(1, 0), { line: 1, character: 2 });
  const tight = lines(['>@@ -1,2 +1,2 @@', '> same', '>-old', '>+new'].join('\n'));
  const v2 = quotedView(tight, depths(tight), 1);
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => v2.text(i)),
    ['@@ -1,2 +1,2 @@', ' same', '-old', '+new'],
  );
  assert.deepEqual(v2.position(1, 0), { line: 1, character: 1 });
});

test('a depth-2 view skips the depth-1 reviewer lines in between', () => {
  const src = lines(['>> -a', '> my comment', '>> +b', 'reply'].join('\n'));
  const v = quotedView(src, depths(src), 2);
  assert.equal(v.count, 2);
  assert.equal(v.text(1), '+b');
  assert.equal(v.position(1, 0).line, 2);
});

test('attribution lines name the quoted author, also over two lines', () => {
  const one = lines('On Wed, Sep 02, 2020 at 03:46:34PM -0400, Matthew Rosato wrote:');
  assert.equal(attributionAt(one, 0)?.name, 'Matthew Rosato');
  const short = lines('On 9/3/20 12:41 PM, Bjorn Helgaas wrote:');
  assert.equal(attributionAt(short, 0)?.name, 'Bjorn Helgaas');
  const two = lines('On Thu, 3 Sep 2020 13:10:02 -0400\nMatthew Rosato <[email protected]> wrote:');
  assert.deepEqual(attributionAt(two, 1), { start: 0, name: 'Matthew Rosato' });
  assert.equal(attributionAt(lines('nothing to see here'), 0), undefined);
});
