/**
 * The client's watch over its server (issue 13): a crashed or deaf server is restarted and each
 * incident said once; one that keeps failing is left stopped, said once. Driven with a fake server
 * and a timer the test fires by hand (no real time passes).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServerWatch, type WatchOptions } from '../../../client/src/serverWatch';

function harness(opts: Partial<WatchOptions> = {}) {
  let clock = 0;
  const timers: (() => void)[] = [];
  const said: string[] = [];
  const server = {
    answers: true,
    running: true,
    restarts: 0,
    finishRestart: undefined as (() => void) | undefined,
    ping(): Promise<unknown> {
      return this.answers ? Promise.resolve({}) : new Promise(() => undefined); // deaf: never answers
    },
    restart(): Promise<void> {
      this.restarts++;
      return new Promise<void>((resolve) => (this.finishRestart = resolve));
    },
    expected() {
      return this.running;
    },
  };
  const watch = new ServerWatch(server, {
    timeoutMs: 20_000,
    maxRestarts: 3,
    windowMs: 180_000,
    now: () => clock,
    timer: () => {
      let fire!: () => void;
      const elapsed = new Promise<void>((resolve) => (fire = resolve));
      timers.push(() => fire());
      return { elapsed, cancel: () => undefined };
    },
    say: (m) => said.push(m),
    ...opts,
  });
  const tick = () => new Promise((r) => setImmediate(r));
  return {
    server,
    watch,
    said,
    timers,
    tick,
    advance: (ms: number) => (clock += ms),
    fireTimers: () => timers.splice(0).forEach((f) => f()),
  };
}

describe('the server watch', () => {
  test('a server that answers is left alone', async () => {
    const t = harness();
    assert.equal(await t.watch.check(), 'ok');
    assert.equal(t.server.restarts, 0);
    assert.deepEqual(t.said, []);
  });

  test('a deaf server is restarted once its answer is overdue, and that is said once', async () => {
    const t = harness();
    t.server.answers = false;
    const first = t.watch.check();
    await t.tick();
    assert.equal(t.server.restarts, 0, 'not before the limit');
    t.fireTimers();
    await t.tick();
    assert.equal(t.server.restarts, 1);
    // the same incident seen again (the old connection closes, another heartbeat): no second restart or message
    const again = t.watch.died();
    const third = t.watch.check();
    t.server.answers = true;
    t.server.finishRestart!();
    assert.deepEqual(await Promise.all([first, again, third]), ['restarted', 'restarted', 'restarted']);
    assert.equal(t.server.restarts, 1);
    assert.deepEqual(t.said, ['the language server did not answer within 20 s; restarted it']);
    assert.equal(await t.watch.check(), 'ok');
  });

  test('a crash (the connection closed) is restarted and said once', async () => {
    const t = harness();
    const r = t.watch.died();
    t.server.finishRestart!();
    assert.equal(await r, 'restarted');
    assert.deepEqual(t.said, ['the language server stopped unexpectedly; restarted it']);
  });

  test('a server that keeps failing stays stopped after three restarts, said once; a user restart lifts it', async () => {
    const t = harness();
    for (let i = 0; i < 3; i++) {
      const r = t.watch.died();
      t.server.finishRestart!();
      await r;
      t.advance(10_000);
    }
    assert.equal(await t.watch.died(), 'given-up');
    assert.equal(await t.watch.died(), 'given-up');
    assert.equal(await t.watch.check(), 'given-up');
    assert.equal(t.server.restarts, 3);
    assert.equal(t.said.length, 4);
    assert.match(t.said[3], /after 3 restarts in 3 min; it stays stopped: run "vfio-lens: Restart server"/);
    t.watch.reset();
    const r = t.watch.died();
    t.server.finishRestart!();
    assert.equal(await r, 'restarted');
  });

  test('restarts long apart do not add up to giving up', async () => {
    const t = harness();
    for (let i = 0; i < 5; i++) {
      const r = t.watch.died();
      t.server.finishRestart!();
      assert.equal(await r, 'restarted');
      t.advance(200_000);
    }
    assert.equal(t.server.restarts, 5);
  });

  test('a server stopped on purpose is not pinged nor restarted', async () => {
    const t = harness();
    t.server.running = false;
    t.server.answers = false;
    assert.equal(await t.watch.check(), 'not-running');
    assert.equal(t.server.restarts, 0);
    assert.deepEqual(t.said, []);
  });
});
