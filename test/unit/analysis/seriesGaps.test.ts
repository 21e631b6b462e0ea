/**
 * A part of a series read as the whole (issue 14, point 2): a reply thread that quotes patches 1/3
 * and 3/3 of the project's sample series, but not 2/3 (the s390 patch that marks zPCI VFs).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { sample } from './support';

/** The sample's messages, split at their mbox "From " lines. */
function messages(): string[] {
  const text = fs.readFileSync(sample('sample-series.mbox'), 'utf8');
  return text.split(/^(?=From \S+ Mon Sep 17)/m);
}

/** A reply to patch `k` quoting its whole body, with a line of its own. */
function replyTo(k: number): string {
  const original = messages().find((m) => new RegExp(`^Subject: \\[PATCH v1 ${k}/3\\]`, 'm').test(m))!;
  const subject = /^Subject: (.*)$/m.exec(original)![1];
  const id = /^Message-Id: <(.*)>$/m.exec(original)![1];
  const body = original.slice(original.indexOf('\n\n') + 2);
  return [
    `From reply.${k}.rev Mon Sep 17 00:00:00 2001`,
    'From: Rev Iewer <rev@example.org>',
    `Subject: Re: ${subject}`,
    `Message-Id: <reply.${k}.rev@example.org>`,
    `In-Reply-To: <${id}>`,
    '',
    'On Mon, Ada wrote:',
    ...body
      .trimEnd()
      .split('\n')
      .map((l) => (l ? `> ${l}` : '>')),
    '',
    'Looks fine to me.',
    '',
  ].join('\n');
}

describe('a reply thread quoting 1/3 and 3/3 of a series', () => {
  test('says 2/3 is missing and what was assumed; the baseline comes from the quoted pre-images', async () => {
    await initAnalysis();
    const thread = replyTo(1) + replyTo(3);
    const out = analyzeText(thread, { file: 'thread.mbox' });
    const gap = out.result.findings.filter((f) => f.code === 'series-incomplete');
    assert.equal(gap.length, 1, 'said once');
    assert.match(
      gap[0].message,
      /^series of 3: 2\/3 not in this document \(it holds 1\/3, 3\/3\); assumed 2\/3 changes nothing/,
    );
    assert.equal(gap[0].severity, 'information');
    assert.match(out.result.baseline.detectedFrom, /^pre-images quoted in replies match v5\.8/);
    const changes = out.result.findings.filter((f) => f.kind === 'behaviour-change');
    assert.ok(changes.length > 0, 'the quoted patches are still compared');
    for (const f of changes) {
      assert.notEqual(f.severity, 'warning', `${f.message}: not a warning while it rests on the gap`);
      assert.match(f.message, /assumed 2\/3 changes nothing vfio-lens models: it is not in this document\)$/);
    }
  });

  test('the whole series, or its first patch alone, says nothing of a gap', async () => {
    await initAnalysis();
    const whole = analyzeText(fs.readFileSync(sample('sample-series.mbox'), 'utf8'), { file: 's.mbox' });
    assert.ok(!whole.result.findings.some((f) => f.code === 'series-incomplete'));
    const first = analyzeText(replyTo(1), { file: 'r1.mbox' });
    assert.ok(!first.result.findings.some((f) => f.code === 'series-incomplete'));
  });

  test('patch 3/3 quoted alone: nothing said of a gap (one patch opened alone is the usual read)', async () => {
    await initAnalysis();
    const out = analyzeText(replyTo(3), { file: 'r3.mbox' });
    assert.ok(!out.result.findings.some((f) => f.code === 'series-incomplete'));
  });
});
