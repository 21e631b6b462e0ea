/**
 * Bytes the LSP base protocol cannot frame, written to the real server over stdio (issue 13): a
 * Content-Length too small, too large (with and without a message after it), not a number,
 * missing or over the limit, and garbage header bytes. Each either gets the following valid
 * request answered or ends the server with its reason on stderr — never a live, deaf server. The
 * waits are bounds on a hang, not timing thresholds: nothing is measured against them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { StreamMessageReader } from 'vscode-jsonrpc/node';
import { cliPath } from './lspClient';
import { projectRoot } from '../support/shared';

/** How long a case may wait for an answer or an exit before it is called a hang. */
const HANG_BOUND_MS = 30_000;
/** The server's wait for the rest of a begun message, shortened for the tests. */
const QUIET_MS = 300;

interface Answer {
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

class RawServer {
  readonly answers: Answer[] = [];
  stderr = '';
  exit: { code: number | null } | undefined;
  private readonly child: ChildProcess;

  constructor() {
    this.child = spawn(process.execPath, [cliPath, 'lsp', '--stdio', `--message-timeout=${QUIET_MS}`], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdin!.on('error', () => undefined); // the server may end before all is written
    this.child.on('exit', (code) => (this.exit = { code }));
    new StreamMessageReader(this.child.stdout!).listen((m) => this.answers.push(m as Answer));
  }

  write(bytes: string | Buffer): void {
    if (!this.exit) this.child.stdin!.write(bytes);
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  initialize(id = 1): void {
    this.send({ id, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  }

  /** Waits for the answer to request `id`, or for the server to exit; undefined on exit. */
  async answerOrExit(id: number): Promise<Answer | undefined> {
    const end = Date.now() + HANG_BOUND_MS;
    for (;;) {
      const a = this.answers.find((x) => x.id === id);
      if (a) return a;
      if (this.exit) return undefined;
      if (Date.now() > end)
        throw new Error(`the server neither answered request ${id} nor exited: deaf\nstderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async exited(): Promise<{ code: number | null }> {
    const end = Date.now() + HANG_BOUND_MS;
    while (!this.exit) {
      if (Date.now() > end) throw new Error(`the server did not exit\nstderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.exit;
  }

  stop(): void {
    if (!this.exit) this.child.kill();
  }
}

const request = (id: number, method: string, params: unknown) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });

/** A framed valid request, to follow the broken bytes. */
const followingRequest = (id: number) => {
  const body = request(id, 'initialize', { processId: null, rootUri: null, capabilities: {} });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

const cases: { name: string; bytes: () => string | Buffer; reason: RegExp; nothingAfter?: boolean }[] = [
  {
    name: 'Content-Length not a number',
    bytes: () => 'Content-Length: twelve\r\n\r\n{}',
    reason: /Content-Length "twelve" is not a number/,
  },
  {
    name: 'Content-Length missing',
    bytes: () => 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}',
    reason: /without Content-Length/,
  },
  {
    name: 'Content-Length too small',
    bytes: () => `Content-Length: 10\r\n\r\n${request(7, 'shutdown', null)}`,
    reason: /is not a JSON object.*too small/,
  },
  {
    name: 'Content-Length too large, another message after it',
    bytes: () => {
      const body = request(7, 'shutdown', null);
      return `Content-Length: ${body.length + 200}\r\n\r\n${body}${followingRequest(8)}`;
    },
    reason: /holds another message's header: the Content-Length is larger/,
  },
  {
    name: 'Content-Length too large, nothing after it',
    bytes: () => `Content-Length: 4000\r\n\r\n${request(7, 'shutdown', null)}`,
    reason: new RegExp(`stopped \\d+ of 4000 bytes in .*nothing came for ${QUIET_MS} ms`),
    nothingAfter: true,
  },
  {
    name: 'Content-Length over the limit',
    bytes: () => 'Content-Length: 99999999999999\r\n\r\n{}',
    reason: /over the \d+-byte limit/,
  },
  {
    name: 'Content-Length zero',
    bytes: () => 'Content-Length: 0\r\n\r\n',
    reason: /cannot be empty/,
  },
  {
    name: 'a framed body that is not JSON',
    bytes: () => 'Content-Length: 10\r\n\r\n{not json}',
    reason: /a message could not be read: .*JSON/,
  },
  {
    name: 'garbage bytes where a header starts',
    bytes: () => Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]),
    reason: /byte 0x00 in a message header/,
  },
  {
    name: 'a header line that is not "Name: value"',
    bytes: () => 'hello there\r\n\r\n{}',
    reason: /"hello there" is not "Name: value"/,
  },
  {
    name: 'a header that never ends',
    bytes: () => 'Content-Length: 2\r\n' + 'X-Padding: ' + 'a'.repeat(9000),
    reason: /longer than \d+ bytes without its blank line/,
  },
];

describe('the server over stdio, given bytes it cannot frame', () => {
  for (const c of cases)
    test(`${c.name}: the server exits with the reason on stderr, or answers what follows`, async () => {
      const server = new RawServer();
      try {
        server.write(c.bytes());
        if (!c.nothingAfter) server.write(followingRequest(99));
        const answer = await server.answerOrExit(99);
        if (answer) {
          assert.ok(answer.result, `answered: ${JSON.stringify(answer)}`);
          return;
        }
        const { code } = await server.exited();
        assert.equal(code, 1, server.stderr);
        assert.match(server.stderr, c.reason);
        assert.match(server.stderr, /the server ends the connection/);
      } finally {
        server.stop();
      }
    });

  test('a valid message written a byte at a time, and two in one write, are answered', async () => {
    const server = new RawServer();
    try {
      for (const b of Buffer.from(followingRequest(1))) server.write(Buffer.from([b]));
      assert.ok((await server.answerOrExit(1))?.result, server.stderr);
      const twice = [2, 3].map((id) => `Content-Length: ${request(id, 'x/y', {}).length}\r\n\r\n`);
      server.write(twice[0] + request(2, 'x/y', {}) + twice[1] + request(3, 'x/y', {}));
      assert.equal((await server.answerOrExit(2))?.error?.code, -32601, server.stderr);
      assert.equal((await server.answerOrExit(3))?.error?.code, -32601, server.stderr);
      assert.equal(server.exit, undefined);
    } finally {
      server.stop();
    }
  });

  test('well-framed requests with params of every JSON type are answered with LSP codes', async () => {
    const server = new RawServer();
    try {
      server.initialize(1);
      assert.ok((await server.answerOrExit(1))?.result, server.stderr);
      server.send({ method: 'initialized', params: {} });
      let id = 10;
      for (const params of ['file:///x.patch', 7, true, null, [], [1], {}, { textDocument: null }]) {
        server.send({ id: ++id, method: 'textDocument/hover', params });
        const answer = await server.answerOrExit(id);
        assert.equal(
          answer?.error?.code,
          -32602,
          `hover ${JSON.stringify(params)}: ${JSON.stringify(answer)}`,
        );
      }
      server.send({ id: 50, method: 'shutdown', params: null });
      assert.deepEqual((await server.answerOrExit(50))?.result, null, server.stderr);
      assert.equal(server.exit, undefined);
      assert.doesNotMatch(server.stderr, /uncaught|unhandled/);
    } finally {
      server.stop();
    }
  });
});
