/**
 * The client keeps its server alive (issue 13): a deaf server (stopped with SIGSTOP: alive, answering
 * nothing) and a crashed one (SIGKILL) are restarted, each incident said once in the output and the
 * status bar, and the diagnostics come back. Runs last: it replaces the server the others used.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED_FILE, api, codeOf, openAndWaitForDiagnostics, poll, vfioDiagnostics } from './support';
import { processAlive } from '../../support/process';

const alive = processAlive;

describe('a dead or deaf server', function () {
  let seed: vscode.TextDocument;
  let codes: string[] = [];

  before(async () => {
    const opened = await openAndWaitForDiagnostics(SEED_FILE);
    seed = opened.doc;
    codes = opened.diagnostics.map(codeOf).sort();
  });

  const newServer = async (old: number) => {
    const { server } = await api();
    return poll('a new server process', () =>
      server.isRunning && server.pid !== undefined && server.pid !== old ? server.pid : undefined,
    );
  };

  it('a deaf server is restarted after its heartbeat goes unanswered, said once', async () => {
    const { server, statusBar } = await api();
    const pid = server.pid;
    assert.ok(pid !== undefined && alive(pid), 'the server said its pid');
    const before = server.watch.said.length;
    process.kill(pid, 'SIGSTOP');
    try {
      // the heartbeat the client sends every 30 s, now, with a short limit
      assert.equal(await server.watch.check(3000), 'restarted');
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    const fresh = await newServer(pid);
    assert.notEqual(fresh, pid);
    await poll('the deaf process gone', () => (alive(pid) ? undefined : true));
    assert.deepEqual(server.watch.said.slice(before), [
      'the language server did not answer within 3 s; restarted it',
    ]);
    assert.equal(statusBar.text.incident, 'vfio-lens: server restarted');
    const again = await poll('diagnostics from the new server', () => {
      const d = vfioDiagnostics(seed.uri);
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(again.map(codeOf).sort(), codes);
  });

  it('a crashed server is restarted, said once', async () => {
    const { server } = await api();
    const pid = server.pid!;
    const before = server.watch.said.length;
    process.kill(pid, 'SIGKILL');
    const fresh = await newServer(pid);
    assert.notEqual(fresh, pid);
    assert.deepEqual(server.watch.said.slice(before), [
      'the language server stopped unexpectedly; restarted it',
    ]);
    // a heartbeat after the restart is answered, and says nothing more
    assert.equal(await server.watch.check(), 'ok');
    assert.equal(server.watch.said.length, before + 1);
    const again = await poll('diagnostics from the new server', async () => {
      // the new server publishes when the document is next seen; a hover on it makes sure it is read
      await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        seed.uri,
        new vscode.Position(0, 0),
      );
      const d = vfioDiagnostics(seed.uri);
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(again.map(codeOf).sort(), codes);
  });
});
