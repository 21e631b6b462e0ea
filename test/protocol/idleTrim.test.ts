/**
 * The analysis process gives memory back when idle (issue 16): after a job, once no other came for
 * VFIO_LENS_IDLE_TRIM_MS, a process whose heap holds more than VFIO_LENS_IDLE_TRIM_ABOVE_MB keeps
 * only the newest entries of its caches and compacts its heap. The tests set both so one small
 * document is enough (the defaults, 1 s and 64 MB, are met by a burst of many documents). A cache
 * is only a shortcut: the same document's diagnostics after the trim are the ones before it. The
 * waits are bounds on a hang, not timing thresholds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerStats } from '../../server/src/lsp/protocol';
import { projectRoot } from '../support/shared';
import { LspClient } from './lspClient';

const sample = () => fs.readFileSync(path.join(projectRoot, 'samples', 'sample-series.mbox'), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withServer(env: Record<string, string>, run: (client: LspClient) => Promise<void>) {
  const client = LspClient.spawn({ env });
  await client.initialize({ initializationOptions: { debounceMs: 0 } });
  try {
    await run(client);
  } finally {
    await client.stop();
  }
}

const stats = (client: LspClient) => client.request<ServerStats>('vfioLens/stats', null);

test('idle after a job, the analysis process trims its caches, and answers the same after', () =>
  withServer({ VFIO_LENS_IDLE_TRIM_MS: '50', VFIO_LENS_IDLE_TRIM_ABOVE_MB: '0' }, async (client) => {
    const uri = 'file:///t/trim.mbox';
    const text = sample();
    assert.equal((await stats(client)).analysisTrims, 0, 'nothing to trim before a job');
    client.open(uri, 'patch-mail', text);
    const before = await client.waitForDiagnostics(uri, 1);
    assert.ok(before.length > 0, 'the sample series got no diagnostics');
    let trims = 0;
    for (const end = Date.now() + 30_000; trims === 0 && Date.now() < end; await sleep(50))
      trims = (await stats(client)).analysisTrims;
    assert.equal(trims, 1, `no trim reported: ${client.logs.join('\n')}`);
    const line = client.logs.find((l) => l.startsWith('analysis process idle:'));
    assert.match(line ?? '', /kept its newest cache entries, heap \d+ -> \d+ MB in \d+ ms/);
    // the same text again (a new version): analysed again with the trimmed caches
    const p = client.nextDiagnostics(uri, 2);
    client.rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text }],
    });
    assert.deepEqual(await p, before);
    // one trim per idle spell: the second job's idle makes the second
    for (const end = Date.now() + 30_000; trims === 1 && Date.now() < end; await sleep(50))
      trims = (await stats(client)).analysisTrims;
    assert.equal(trims, 2);
  }));

test('a heap under the threshold is left as it is', () =>
  withServer({ VFIO_LENS_IDLE_TRIM_MS: '0', VFIO_LENS_IDLE_TRIM_ABOVE_MB: '100000' }, async (client) => {
    const uri = 'file:///t/small.mbox';
    client.open(uri, 'patch-mail', sample());
    await client.waitForDiagnostics(uri, 1);
    // the idle timer (0 ms) has fired by the time a stats request after a pause is answered
    await sleep(500);
    assert.equal((await stats(client)).analysisTrims, 0);
    assert.ok(!client.logs.some((l) => l.startsWith('analysis process idle:')));
  }));
