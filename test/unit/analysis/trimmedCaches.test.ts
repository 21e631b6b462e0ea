/**
 * The caches are only shortcuts (issue 16: the language server's analysis process, idle after a
 * burst, keeps only their newest entries and starts its memo tables anew): each seed and every
 * fourth corpus file analysed again after the caches were cut to one entry each (and the memo
 * tables emptied) gives the findings it gave with them full, and the same as a second analysis
 * with the caches untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeText, initAnalysis } from '../../../server/src/analysis';
import { trimCaches } from '../../../server/src/model/cache';
import { corpusRealFiles, readShared, seedFiles, sharedMissing } from '../../support/shared';

test(
  'analyses after the caches were trimmed are the analyses before',
  { skip: sharedMissing() },
  async () => {
    await initAnalysis();
    // the seeds and every fourth corpus file (all of them twice took 15 s)
    const files = [
      ...seedFiles().map((f) => ['seeds', f]),
      ...corpusRealFiles()
        .filter((_, i) => i % 4 === 0)
        .map((f) => ['corpus', 'real', f]),
    ];
    assert.ok(files.length > 10, `only ${files.length} files`);
    const findings = (parts: string[]) =>
      JSON.stringify(
        analyzeText(readShared(...parts), { file: path.basename(parts[parts.length - 1]) }).result,
      );
    // all of them first, so each file's later analysis meets caches another file filled
    const full = files.map(findings);
    for (let i = 0; i < files.length; i++) {
      trimCaches(0); // at least one entry each: the most recently used
      assert.equal(findings(files[i]), full[i], files[i].join('/'));
    }
  },
);
