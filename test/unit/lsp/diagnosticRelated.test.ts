/**
 * At most DIAGNOSTIC_RELATED related places per diagnostic (issue 14, point 5): the Problems
 * panel gave 6 to 8 rows to each finding. A reviewer's own words first, then where the markers
 * are defined or set, then the other changed sites, the "quoted by" places last; the last entry
 * shown counts the rest, on the first place left out. The finding keeps its whole list.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { RelatedInfo, RelatedKind } from '../../../server/src/analysis/types';
import {
  DIAGNOSTIC_RELATED,
  diagnosticRelated,
  findingToDiagnostic,
} from '../../../server/src/lsp/diagnostics';
import { sharedMissing } from '../../support/shared';
import { analyse, corpus } from '../analysis/support';

const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 5 } });
const place = (line: number, kind?: RelatedKind, message = `${kind ?? 'place'} ${line}`): RelatedInfo => ({
  range: at(line),
  message,
  ...(kind ? { kind } : {}),
});

describe('the related places a diagnostic shows', () => {
  test('two or fewer are shown whole, the most useful first', () => {
    assert.deepEqual(diagnosticRelated([]), []);
    const quote = place(3, 'quote');
    const review = place(9, 'review');
    assert.deepEqual(diagnosticRelated([quote, review]), [review, quote]);
    const site = place(1, 'site');
    const marker = place(2, 'marker');
    assert.deepEqual(diagnosticRelated([site, marker]), [marker, site]);
  });

  test('past two: the most useful one, then one entry counting the rest at the first left out', () => {
    // the order behaviour findings list them in: other sites, markers, then quotes and comments
    const related = [
      place(10, 'site'),
      place(11, 'site'),
      place(12, 'marker'),
      place(20, 'quote'),
      place(30, 'review', 'Bea Reviewer: why not the VF MSE bit?'),
      place(31, 'review', 'Bea Reviewer: and the restore?'),
    ];
    const shown = diagnosticRelated(related);
    assert.equal(shown.length, DIAGNOSTIC_RELATED);
    assert.deepEqual(shown[0], related[4]);
    assert.deepEqual(shown[1], {
      range: at(31),
      message:
        '5 more related places: `vfio-lens analyze` lists them; the first: Bea Reviewer: and the restore?',
      kind: 'more',
      count: 5,
    });
    // without comments: a marker first, the sites next
    const noReview = diagnosticRelated(related.filter((r) => r.kind !== 'review'));
    assert.deepEqual(noReview[0], related[2]);
    assert.match(noReview[1].message, /^3 more related places: .*; the first: site 10$/);
    assert.deepEqual(noReview[1].range, at(10));
  });

  test('unnamed places rank after the sites and before the quotes; a finding\'s own "more" entry is counted', () => {
    const shown = diagnosticRelated([place(1, 'quote'), place(2), place(3, 'site')]);
    assert.deepEqual(
      shown.map((r) => r.message),
      ['site 3', '2 more related places: `vfio-lens analyze` lists them; the first: place 2'],
    );
    // a finding capped by the analysis (MAX_RELATED) already counts what it left out
    const capped = [place(1, 'site'), place(2, 'site'), { ...place(3, 'more', '40 more ...'), count: 40 }];
    const last = diagnosticRelated(capped)[1];
    assert.equal(last.count, 41);
    assert.match(
      last.message,
      /^41 more related places: `vfio-lens analyze` lists 1 of them; the first: site 2$/,
    );
  });

  test('findingToDiagnostic sends the selection; the finding keeps its list', () => {
    const related = [place(1, 'site'), place(2, 'quote'), place(3, 'review')];
    const finding = {
      code: 'behaviour-change',
      kind: 'behaviour-change' as const,
      severity: 'warning' as const,
      message: 'm',
      file: 'f',
      range: at(0),
      changes: [],
      related,
    };
    const d = findingToDiagnostic('file:///f', finding, 'warning');
    assert.deepEqual(
      d.relatedInformation?.map((r) => [r.location.range.start.line, r.message]),
      [
        [3, 'review 3'],
        [1, '2 more related places: `vfio-lens analyze` lists them; the first: site 1'],
      ],
    );
    assert.equal(finding.related.length, 3);
  });
});

describe('on real mail', { skip: sharedMissing() }, () => {
  test("k06: Bjorn Helgaas's comment is what the diagnostics of the hunks he quotes show first", async () => {
    const out = await analyse(corpus('k06_'));
    const reviewed = out.result.findings.filter((f) => f.related.some((r) => r.kind === 'review'));
    assert.ok(reviewed.length > 0);
    for (const f of reviewed) {
      const shown = diagnosticRelated(f.related);
      assert.ok(shown.length <= DIAGNOSTIC_RELATED);
      assert.equal(shown[0].kind, 'review', f.message);
      assert.match(shown[0].message, /^Bjorn Helgaas: /);
      const total = shown.reduce((n, r) => n + (r.kind === 'more' ? r.count! : 1), 0);
      assert.equal(total, f.related.length, 'every place is shown or counted');
    }
  });
});
