/** The other ways to start the server: --node-ipc (what the VS Code client uses) and bad arguments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { IPCMessageReader, IPCMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import type { Hover } from 'vscode-languageserver-protocol';
import { cliPath } from './lspClient';

test('lsp --node-ipc --clientProcessId=N answers like --stdio', async () => {
  const child = fork(cliPath, ['lsp', '--node-ipc', `--clientProcessId=${process.pid}`], { silent: true });
  const rpc = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  rpc.listen();
  try {
    const init = await rpc.sendRequest<{
      capabilities: { hoverProvider?: boolean };
      serverInfo?: { name: string };
    }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo?.name, 'vfio-lens');
    assert.equal(init.capabilities.hoverProvider, true);
    rpc.sendNotification('initialized', {});
    const uri = 'file:///t/a.c';
    rpc.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: 'x = PCI_COMMAND_INTX_DISABLE;\n' },
    });
    const h = await rpc.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 6 },
    });
    assert.match(JSON.stringify(h?.contents), /PCI_COMMAND_INTX_DISABLE/);
    await rpc.sendRequest('shutdown');
    rpc.sendNotification('exit');
  } finally {
    rpc.dispose();
    if (child.exitCode === null) child.kill();
  }
});

test('lsp without a transport, or with two, is a usage error naming the choices', () => {
  for (const args of [['lsp'], ['lsp', '--stdio', '--node-ipc'], ['lsp', '--socket=notaport']]) {
    const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', input: '' });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /--stdio|--socket/);
  }
});
