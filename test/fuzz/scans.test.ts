/**
 * The one-pass scans that replaced backtracking regular expressions in the reader and in C
 * extraction (issue 13: linear-time walks) give what those expressions gave, on strings built
 * from the characters the expressions care about. The expressions are kept here, as the
 * reference; the long runs that made them quadratic are regression files (long-run-*.json).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { identifierBefore } from '../../server/src/csrc/chars';
import { tableOfHeading } from '../../server/src/csrc/config/side';
import { contextFromHeading } from '../../server/src/csrc/fragment';
import { functionFromHeading } from '../../server/src/csrc/functions';
import { trimSpacesAndTabs } from '../../server/src/mail/decode';
import { decodeWords, displayName } from '../../server/src/mail/headers';
import { nameBeforeAddress } from '../../server/src/mail/quotes';
import { runs, SEED } from './seeded';

const text = (units: string[], maxLength = 40) =>
  fc.array(fc.constantFrom(...units), { maxLength }).map((u) => u.join(''));

const ADDRESS_UNITS = [
  '@',
  ' ',
  '\t',
  '\n',
  '\u2028',
  '<',
  '>',
  '(',
  ')',
  '"',
  ',',
  'a',
  'x',
  'On Behalf Of ',
];
const C_UNITS = ['a', '_', '9', ' ', '\t', '\u00a0', '(', ')', '*', 'struct ', 'enum ', 'typedef ', 'é'];

/** displayName as it was, with its regular expressions. */
function displayNameByExpressions(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let v = decodeWords(value).trim();
  const behalf = /\bOn Behalf Of\s+(.+)$/i.exec(v);
  if (behalf) v = behalf[1].trim();
  const paren = /^\S+@\S+\s+\((.+)\)$/.exec(v);
  if (paren) return paren[1].trim();
  const angle = v.indexOf('<');
  if (angle > 0) v = v.slice(0, angle).trim();
  else if (angle === 0) v = v.replace(/^<|>.*$/g, '');
  v = v.replace(/^"(.*)"$/, '$1').trim();
  if (/^\S+@\S+$/.test(v)) {
    const local = v.slice(0, v.indexOf('@'));
    return local && !/^x+$/.test(local) ? local : undefined;
  }
  if (v === '' || /\[email\s+protected\]/i.test(v)) return undefined;
  return v;
}

function contextByExpressions(heading: string): string {
  const h = heading.trim();
  if (/^(typedef\s+)?enum\b/.test(h)) return 'enum';
  if (/^(typedef\s+)?(struct|union)\b[^(]*$/.test(h)) return 'struct';
  if (/[A-Za-z_]\w*\s*\(/.test(h)) return 'function';
  return 'top';
}

function functionByExpressions(heading: string): string | undefined {
  const h = heading.trim();
  if (!h) return undefined;
  const agg = /^(?:typedef\s+)?(struct|enum|union)\s+([A-Za-z_]\w*)/.exec(h);
  if (agg && !h.includes('(')) return `${agg[1]} ${agg[2]}`;
  const paren = h.indexOf('(');
  if (paren < 0) return undefined;
  const m = /([A-Za-z_]\w*)\s*$/.exec(h.slice(0, paren));
  return m ? m[1] : undefined;
}

const options = { seed: SEED, numRuns: runs(500) };

test('displayName: the address scans agree with the expressions they replace', () => {
  fc.assert(
    fc.property(text(ADDRESS_UNITS), (v) => {
      assert.equal(displayName(v), displayNameByExpressions(v));
    }),
    options,
  );
});

test('nameBeforeAddress: what /([^,]*?)\\s*<[^>]*>\\s*$/ captured', () => {
  fc.assert(
    fc.property(text(ADDRESS_UNITS), (body) => {
      const m = /([^,]*?)\s*<[^>]*>\s*$/.exec(body);
      assert.equal(nameBeforeAddress(body), m ? m[1] : undefined);
    }),
    options,
  );
});

test('identifierBefore, contextFromHeading, functionFromHeading: what their expressions found', () => {
  fc.assert(
    fc.property(text(C_UNITS), fc.nat({ max: 40 }), (h, cut) => {
      const end = Math.min(cut, h.length);
      const m = /([A-Za-z_]\w*)\s*$/.exec(h.slice(0, end));
      assert.equal(identifierBefore(h, end), m ? m[1] : undefined);
      assert.equal(contextFromHeading(h), contextByExpressions(h));
      assert.equal(functionFromHeading(h), functionByExpressions(h));
    }),
    options,
  );
});

test('tableOfHeading: what /([A-Za-z_]\\w*)\\s*\\[[^\\]]*\\]\\s*=\\s*\\{\\s*$/ captured', () => {
  fc.assert(
    fc.property(text([...C_UNITS, '[', ']', '=', '{', '[1]', ' = {']), (h) => {
      const m = /([A-Za-z_]\w*)\s*\[[^\]]*\]\s*=\s*\{\s*$/.exec(h);
      assert.equal(tableOfHeading(h), m ? m[1] : undefined);
    }),
    options,
  );
});

test('trimSpacesAndTabs: what /[ \\t]+$/ removed', () => {
  fc.assert(
    fc.property(text([' ', '\t', 'a', '=', '\r', '\u00a0']), (line) => {
      assert.equal(trimSpacesAndTabs(line), line.replace(/[ \t]+$/, ''));
    }),
    options,
  );
});
