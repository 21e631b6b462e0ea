/**
 * The server's lifecycle and bad parameters over stdio (issue 13), with the LSP error codes: a
 * request before `initialize` is ServerNotInitialized (-32002), after `shutdown` InvalidRequest
 * (-32600); params of the wrong shape are InvalidParams (-32602); a didOpen without its text is
 * dropped with a log line, not an unhandled rejection. The server keeps answering throughout.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lspClient';

const SERVER_NOT_INITIALIZED = -32002;
const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;
const METHOD_NOT_FOUND = -32601;

async function rejectsWith(p: Promise<unknown>, code: number, what: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: { code?: number; message?: string }) => {
    assert.equal(e.code, code, `${what}: ${e.message}`);
    if (message) assert.match(e.message ?? '', message, what);
    return true;
  });
}

const hoverParams = (uri: string) => ({ textDocument: { uri }, position: { line: 0, character: 0 } });
/** Nothing went wrong inside the server: no uncaught exception, no unhandled rejection. */
const noCrash = (client: LspClient) =>
  assert.ok(!client.logs.some((l) => /uncaught|unhandled rejection/.test(l)), client.logs.join('\n'));

describe('language server lifecycle and parameters over stdio', () => {
  test('before initialize: requests are ServerNotInitialized, notifications dropped', async () => {
    const client = LspClient.spawn();
    try {
      const uri = 'file:///early.patch';
      for (const [method, params] of [
        ['textDocument/hover', hoverParams(uri)],
        ['vfioLens/summary', { uri }],
        ['vfioLens/vocabulary', null],
        ['shutdown', null],
        ['no/suchMethod', {}],
      ] as const) {
        await rejectsWith(client.request(method, params), SERVER_NOT_INITIALIZED, method, /not initialised/);
      }
      client.open(uri, 'diff', '--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n');
      await client.initialize({ initializationOptions: { debounceMs: 0 } });
      // the early didOpen was dropped: the document is not open
      await rejectsWith(
        client.request('vfioLens/summary', { uri }),
        INVALID_PARAMS,
        'summary',
        /not an open/,
      );
      await rejectsWith(
        client.request('initialize', { processId: null, rootUri: null, capabilities: {} }),
        INVALID_REQUEST,
        'a second initialize',
      );
      await rejectsWith(client.request('no/suchMethod', {}), METHOD_NOT_FOUND, 'an unknown method');
      noCrash(client);
    } finally {
      await client.stop();
    }
  });

  test('params of the wrong shape are InvalidParams; a didOpen without text is dropped', async () => {
    const client = await LspClient.start({ initializationOptions: { debounceMs: 0 } });
    try {
      const bad: [string, unknown, RegExp][] = [
        // (this client sends a lone string by position; raw params of any JSON type: framing.test.ts)
        ['textDocument/hover', 'file:///x.patch', /parameters by position/],
        ['textDocument/hover', { textDocument: 'file:///x.patch', position: {} }, /textDocument: expected/],
        ['textDocument/hover', { textDocument: { uri: 'file:///x.patch' } }, /position: expected/],
        ['textDocument/hover', { textDocument: { uri: 7 }, position: { line: 0, character: 0 } }, /uri/],
        ['textDocument/inlayHint', { textDocument: { uri: 'file:///x.patch' } }, /range: expected/],
        ['textDocument/codeLens', { textDocument: [1, 2] }, /textDocument: expected/],
        [
          'textDocument/codeAction',
          { textDocument: { uri: 'file:///x' }, range: { start: 1 } },
          /range\.start/,
        ],
      ];
      for (const [method, params, message] of bad)
        await rejectsWith(
          client.request(method, params),
          INVALID_PARAMS,
          `${method} ${JSON.stringify(params)}`,
          message,
        );

      const uri = 'file:///no-text.patch';
      client.rpc.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'diff', version: 1 },
      });
      client.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 } });
      await client.waitFor('the dropped didOpen logged', () =>
        client.logs.find((l) => /textDocument\/didOpen dropped: textDocument\.text/.test(l)),
      );
      assert.equal(await client.request('textDocument/hover', hoverParams(uri)), null);
      // the server still analyses a good document
      const good = 'file:///good.patch';
      client.open(good, 'diff', '--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n');
      await client.waitForDiagnostics(good, 1);
      noCrash(client);
      assert.ok(client.alive);
    } finally {
      await client.stop();
    }
  });

  test('after shutdown: every request is InvalidRequest; exit ends the process with 0', async () => {
    const client = await LspClient.start({ initializationOptions: { debounceMs: 0 } });
    const uri = 'file:///open.patch';
    client.open(uri, 'diff', '--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n');
    await client.waitForDiagnostics(uri, 1);
    assert.equal(await client.request('shutdown', null), null);
    for (const [method, params] of [
      ['textDocument/hover', hoverParams(uri)],
      ['textDocument/codeLens', { textDocument: { uri } }],
      ['vfioLens/summary', { uri }],
      ['vfioLens/simulate', { device: 'vf', kernel: { kernel: 'v5.8' }, steps: 'open' }],
      ['shutdown', null],
      ['no/suchMethod', {}],
    ] as const) {
      await rejectsWith(client.request(method, params), INVALID_REQUEST, method, /shut down/);
    }
    noCrash(client);
    client.rpc.sendNotification('exit');
    await client.waitFor('the server to exit', () => (client.alive ? undefined : true));
    assert.equal(client.exitCode, 0);
    client.rpc.dispose();
  });
});
