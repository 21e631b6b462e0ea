/**
 * The analysis process starts with the server (issue 16): dist/cli.js forks it before the server's
 * bundle loads, and the server's first document is analysed in it, also one the reviewer opens a
 * while later. A server with no document by EARLY_IDLE_MS lets it go, and its first document later
 * starts a new one. The waits are bounds on a hang, not timing thresholds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerStats } from '../../server/src/lsp/protocol';
import { EARLY_IDLE_MS, earlyIdleMs } from '../../server/src/lsp/analysisProcess';
import { projectRoot } from '../support/shared';
import { LspClient } from './lspClient';

const sample = () => fs.readFileSync(path.join(projectRoot, 'samples', 'sample-series.mbox'), 'utf8');

type Stats = () => Promise<ServerStats>;

/** A started server, its stats, and the analysis process it had before any document (asserted). */
async function withServer(
  run: (client: LspClient, stats: Stats, early: number) => Promise<void>,
  env?: Record<string, string>,
) {
  const client = LspClient.spawn(env ? { env } : {});
  await client.initialize({});
  try {
    const stats = () => client.request<ServerStats>('vfioLens/stats', null);
    const early = (await stats()).analysisPid;
    assert.ok(early !== undefined, 'no analysis process before the first document');
    await run(client, stats, early);
  } finally {
    await client.stop();
  }
}

/** Opens the sample series and waits for its diagnostics (there are some). */
async function openSample(client: LspClient, uri: string): Promise<void> {
  client.open(uri, 'patch-mail', sample());
  const diagnostics = await client.waitForDiagnostics(uri, 1);
  assert.ok(diagnostics.length > 0, 'the sample series got no diagnostics');
}

test('the first document is analysed in the process the server started with it', () =>
  withServer(async (client, stats, early) => {
    await openSample(client, 'file:///t/first.mbox');
    assert.equal((await stats()).analysisPid, early, 'the first analysis ran in another process');
  }));

test('the analysis process starts without NODE_EXTRA_CA_CERTS (Node reads that file at every start)', async (t) => {
  const certs = '/etc/ssl/certs/ca-certificates.crt';
  if (!fs.existsSync(`/proc/self/environ`) || !fs.existsSync(certs))
    return t.skip('no /proc or no CA file here');
  const saved = process.env.NODE_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = saved ?? certs; // the server inherits it
  const client = LspClient.spawn({});
  try {
    await client.initialize({});
    const pid = (await client.request<ServerStats>('vfioLens/stats', null)).analysisPid;
    assert.ok(pid !== undefined, 'no analysis process');
    const names = (environ: string) => environ.split('\0').map((e) => e.slice(0, e.indexOf('=')));
    assert.ok(
      names(fs.readFileSync(`/proc/${client.child.pid}/environ`, 'utf8')).includes('NODE_EXTRA_CA_CERTS'),
    );
    const worker = names(fs.readFileSync(`/proc/${pid}/environ`, 'utf8'));
    assert.ok(worker.includes('PATH'), "the analysis process's environment was read");
    assert.ok(!worker.includes('NODE_EXTRA_CA_CERTS'));
  } finally {
    if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = saved;
    await client.stop();
  }
});

test('a server with no document keeps its early analysis process for a patch opened seconds later', () =>
  withServer(async (client, stats, early) => {
    // past the 5 s it used to wait: an editor that starts the server with a folder of patches
    await new Promise((r) => setTimeout(r, 6000));
    assert.equal((await stats()).analysisPid, early, 'the early process was let go within 6 s');
    await openSample(client, 'file:///t/later.mbox');
    assert.equal((await stats()).analysisPid, early, 'the later document was analysed in a new process');
  }));

test('a server with no document lets its early analysis process go; a later document starts one', () =>
  withServer(
    async (client, stats, early) => {
      let now = await stats();
      for (const end = Date.now() + 30_000; now.analysisPid !== undefined && Date.now() < end;) {
        await new Promise((r) => setTimeout(r, 200));
        now = await stats();
      }
      assert.equal(now.analysisPid, undefined, 'the idle early process was still running after 30 s');
      assert.equal(now.analysisRss, 0);
      await openSample(client, 'file:///t/later.mbox');
      const later = (await stats()).analysisPid;
      assert.ok(later !== undefined && later !== early, `analysis process ${later} after ${early} ended`);
    },
    { VFIO_LENS_EARLY_IDLE_MS: '1500' },
  ));

test('VFIO_LENS_EARLY_IDLE_MS sets how long the early process waits; anything but a number is the default', () => {
  assert.equal(earlyIdleMs({}), EARLY_IDLE_MS);
  assert.equal(earlyIdleMs({ VFIO_LENS_EARLY_IDLE_MS: '1500' }), 1500);
  assert.equal(earlyIdleMs({ VFIO_LENS_EARLY_IDLE_MS: '0' }), 0);
  for (const junk of ['', '-1', '1e3', 'soon', ' 5'])
    assert.equal(earlyIdleMs({ VFIO_LENS_EARLY_IDLE_MS: junk }), EARLY_IDLE_MS);
});
