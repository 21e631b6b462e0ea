import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentText } from '../../../server/src/mail/documentText';

/** The lines a walk over every line finds: what the string search must agree with. */
function walked(doc: DocumentText, prefix: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < Math.min(to, doc.count); i++) if (doc.line(i).startsWith(prefix)) out.push(i);
  return out;
}

const texts: Record<string, string> = {
  lf: '>a\nb\n>c\n\n>>d\nFrom x\n>From y\n>',
  crlf: '>a\r\nb\r\n>c\r\n\r\n>>d\r\nFrom x\r\n>From y\r\n',
  loneCr: '>a\rb\r>c\r\r>>d\nFrom x\r>From y',
  none: 'no quote here\nnor here',
};

for (const [name, text] of Object.entries(texts)) {
  test(`linesStartingWith agrees with a walk over every line (${name})`, () => {
    const doc = new DocumentText(text);
    for (const prefix of ['>', 'From ', '>From ']) {
      for (let from = 0; from <= doc.count; from++) {
        for (let to = from; to <= doc.count + 1; to++) {
          assert.deepEqual(
            doc.linesStartingWith(prefix, from, to),
            walked(doc, prefix, from, to),
            `${prefix} [${from}, ${to})`,
          );
        }
      }
    }
  });
}
