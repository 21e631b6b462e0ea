/**
 * dist/cli.js, the loader (scripts/cli-loader.cjs): the bundle runs through V8's code cache,
 * written on the first run and used on the next, grown by a longer run until a run adds little; a
 * cache file V8 rejects or a cache folder that
 * cannot be written changes nothing the command prints; libmime's charset tables
 * (dist/charsets.js) load only for mail in another charset than UTF-8 or ASCII.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../support/shared';

const cli = process.env.VFIO_LENS_CLI ?? path.join(projectRoot, 'dist', 'cli.js');
const SIMULATE = [
  'simulate',
  '--device',
  'vf',
  '--kernel',
  'v5.8',
  '--steps',
  'open; read-cmd',
  '--format',
  'json',
];

function run(
  cache: string,
  args: string[],
  input?: string,
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000,
    env: { ...process.env, VFIO_LENS_CODE_CACHE: cache, VFIO_LENS_CODE_CACHE_TRACE: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The loader's gate for a used cache at 0 ms: every run is long enough to make it again. */
const LONG_ENOUGH = { VFIO_LENS_CODE_CACHE_GROW_AFTER_MS: '0' };

function cacheFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8' });
    assert.equal(b.status, 0, `build failed: ${b.stderr}`);
  }
});

describe('dist/cli.js and the code cache', () => {
  const uncached = () => run('off', SIMULATE);

  test('the first run writes the cache, the next uses it, and both print what an uncached run prints', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    const plain = uncached();
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, /code cache/, 'VFIO_LENS_CODE_CACHE=off reads and writes nothing');

    const first = run(dir, SIMULATE);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /cli-bundle\.js: no cache yet/);
    assert.match(first.stderr, /cli-bundle\.js: written to /);
    const files = cacheFiles(dir);
    assert.equal(files.length, 1, `one cache file: ${files.join(', ')}`);
    // the CLI's file is the analysis one (the server's protocol thread has its own)
    assert.match(files[0], /^cli-bundle-[0-9a-f]{16}-v\d+\.\d+\.\d+-[0-9a-f]+-analysis\.bin$/);

    const second = run(dir, SIMULATE);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /cli-bundle\.js: cache used/);
    assert.doesNotMatch(second.stderr, /written/, 'a cache that was used is not written again');
    assert.equal(first.stdout, plain.stdout);
    assert.equal(second.stdout, plain.stdout);
  });

  test('a cache written by a short run grows with a longer one, until a run adds little', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    const sample = path.join(projectRoot, 'samples', 'sample-series.mbox');
    assert.match(run(dir, ['--help']).stderr, /cli-bundle\.js: written to /);
    const [file] = cacheFiles(dir);
    const small = fs.statSync(path.join(dir, file)).size;
    // each run counts as long enough (by default one of 200 ms: whether a run of the sample lasts
    // that long depends on the machine; the gate itself has its own test below)
    const analyze = () => run(dir, ['analyze', sample], undefined, LONG_ENOUGH);
    const grown = analyze();
    assert.match(grown.stderr, /cache used/);
    const sizes = /written to .* \((\d+) -> (\d+) bytes\)/.exec(grown.stderr);
    assert.ok(sizes, grown.stderr);
    assert.equal(Number(sizes[1]), small);
    assert.ok(Number(sizes[2]) > small * 1.1, `the analysis's functions are in it now: ${sizes[0]}`);
    assert.equal(fs.statSync(path.join(dir, file)).size, Number(sizes[2]));
    const again = analyze();
    assert.match(again.stderr, /added little to the cache .*: complete/);
    assert.deepEqual(cacheFiles(dir), [file, `${file}.cli-complete`]);
    const last = analyze();
    assert.doesNotMatch(last.stderr, /written|added little/, 'a complete cache is not made again');
    assert.equal(last.stdout, again.stdout);
  });

  test('a cache one kind of run found complete grows again with a run that compiles more', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    const sample = path.join(projectRoot, 'samples', 'sample-series.mbox');
    // the model's comparison without the reader and the analysis; each run counts as long enough
    // for its exit to check the cache (the zPCI matrix, then this comparison, were each sometimes
    // shorter than the default 200 ms on some machine)
    const compare = (): ReturnType<typeof run> =>
      run(dir, ['compare', '--kernel', 'v4.19', '--kernel', 'v5.8'], undefined, LONG_ENOUGH);
    assert.match(run(dir, SIMULATE).stderr, /written to /);
    const stamping = [compare(), compare()].map((r) => r.stderr).join('');
    assert.match(stamping, /added little to the cache .*: complete/);
    const [file, stamp] = cacheFiles(dir);
    assert.equal(stamp, `${file}.cli-complete`);
    const stamped = Number(fs.readFileSync(path.join(dir, stamp), 'utf8'));
    assert.ok(stamped > 0, 'the stamp records the bytecode of the run that found the cache complete');
    // the same kind of run: no check (no cached data made)
    assert.match(compare().stderr, /complete for this run/);
    // the reader, tree-sitter and the analysis were never in it: this run checks, and writes
    const analyze = () => run(dir, ['analyze', sample], undefined, LONG_ENOUGH);
    const grown = analyze();
    assert.match(grown.stderr, /written to .* \(\d+ -> \d+ bytes\)/, grown.stderr);
    assert.match(analyze().stderr, /added little to the cache .*: complete/);
    assert.ok(Number(fs.readFileSync(path.join(dir, stamp), 'utf8')) > stamped * 1.1);
  });

  test('a run shorter than the gate does not make a cache it used again, however much it compiled', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    const sample = path.join(projectRoot, 'samples', 'sample-series.mbox');
    assert.match(run(dir, ['--help']).stderr, /written to /);
    const [file] = cacheFiles(dir);
    const small = fs.statSync(path.join(dir, file)).size;
    // every run is "short" against a gate of 1,000 s: the analysis it compiled is not written
    const short = run(dir, ['analyze', sample], undefined, { VFIO_LENS_CODE_CACHE_GROW_AFTER_MS: '1000000' });
    assert.equal(short.code, 0, short.stderr);
    assert.match(short.stderr, /cache used/);
    assert.doesNotMatch(short.stderr, /written|added little|complete/);
    assert.equal(fs.statSync(path.join(dir, file)).size, small);
    assert.deepEqual(cacheFiles(dir), [file]);
    // a gate that is not a number of ms is the default's
    const odd = run(dir, ['--help'], undefined, { VFIO_LENS_CODE_CACHE_GROW_AFTER_MS: 'soon' });
    assert.equal(odd.code, 0, odd.stderr);
    assert.doesNotMatch(odd.stderr, /written/);
  });

  test("the language server's protocol thread keeps a cache of its own beside the analysis's", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    assert.equal(run(dir, SIMULATE).code, 0);
    // a server whose client is gone at once: it ends, and writes what it compiled
    const server = run(dir, ['lsp', '--stdio'], '');
    assert.match(server.stderr, /cli-bundle\.js: no cache yet/, "the CLI's file is not the server's");
    // the CLI's, the server's, and its analysis process's (started with the server: other heap
    // flags, so a file of its own)
    const files = cacheFiles(dir).filter((f) => f.endsWith('.bin'));
    assert.deepEqual(
      files.map((f) => f.replace(/^.*-/, '')).sort(),
      ['analysis.bin', 'analysis.bin', 'server.bin'],
      files.join(', '),
    );
  });

  test("the server's 5 s check only writes: its exit decides whether the cache is complete", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    assert.match(run(dir, ['lsp', '--stdio'], '').stderr, /written to /);
    // a session that lasts past the 5 s check: its client closes the pipe after 6 s
    const r = spawnSync('sh', ['-c', `sleep 6 | "${process.execPath}" "${cli}" lsp --stdio`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, VFIO_LENS_CODE_CACHE: dir, VFIO_LENS_CODE_CACHE_TRACE: '1' },
    });
    // the server's lines (its analysis process shares its stderr, and says so: "(worker)")
    const server = r.stderr
      .split('\n')
      .filter((l) => l.includes('(server)'))
      .join('\n');
    const at5s = server.indexOf('checked again at exit');
    const atExit = server.indexOf(': complete');
    assert.ok(at5s >= 0, `the 5 s check leaves the decision to the exit: ${r.stderr}`);
    assert.ok(atExit > at5s, `the exit stamps it: ${r.stderr}`);
  });

  test('a cache file V8 rejects is replaced, and the command prints the same', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    assert.equal(run(dir, SIMULATE).code, 0);
    const [file] = cacheFiles(dir);
    const garbage = Buffer.alloc(4096, 0x5a);
    fs.writeFileSync(path.join(dir, file), garbage);
    const r = run(dir, SIMULATE);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cli-bundle\.js: cache rejected/);
    assert.match(r.stderr, /cli-bundle\.js: written to /);
    assert.equal(r.stdout, uncached().stdout);
    assert.notDeepEqual(fs.readFileSync(path.join(dir, file)), garbage);
    assert.match(run(dir, SIMULATE).stderr, /cache used/);
  });

  test('the folder keeps the 8 most recently used caches of a bundle: other builds and Nodes go first', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    const old = Date.now() / 1000 - 3600;
    for (let i = 0; i < 10; i++) {
      const f = path.join(dir, `cli-bundle-${i.toString(16).padStart(16, '0')}-v20.0.0-${i}.bin`);
      fs.writeFileSync(f, 'an earlier build');
      fs.utimesSync(f, old + i, old + i);
    }
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'kept');
    const r = run(dir, SIMULATE);
    assert.equal(r.code, 0, r.stderr);
    const left = cacheFiles(dir).filter((f) => f.startsWith('cli-bundle-'));
    assert.equal(left.length, 8, left.join(', '));
    assert.ok(
      left.some((f) => !f.includes('-v20.0.0-')),
      'the cache just written is kept',
    );
    assert.ok(!left.includes(`cli-bundle-${'0'.repeat(16)}-v20.0.0-0.bin`), 'the least recently used goes');
    assert.ok(fs.existsSync(path.join(dir, 'unrelated.txt')), 'only cache files are removed');
    assert.match(run(dir, SIMULATE).stderr, /cache used/);
  });

  test('a cache folder that cannot be made only costs the compile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const r = run(path.join(blocker, 'cache'), SIMULATE);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cli-bundle\.js: not written \(/);
    assert.equal(r.stdout, uncached().stdout);
  });

  test('a cache folder under /proc (where a recursive mkdir of Node loops forever) ends the command too', (t) => {
    if (!fs.existsSync('/proc/self')) return t.skip('no /proc here');
    // run() has a 60 s timeout: a hang is a null status, not a pass
    const r = run('/proc/vfio-lens-no-such-dir/cache', SIMULATE);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cli-bundle\.js: not written \(/);
    assert.equal(r.stdout, uncached().stdout);
  });

  test('charsets.js loads for an ISO-8859-1 mail only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-cache-'));
    const mail = (charset: string, body: string) =>
      [
        'From: A <a@example.org>',
        'Subject: [PATCH] vfio/pci: a test',
        'MIME-Version: 1.0',
        `Content-Type: text/plain; charset=${charset}`,
        'Content-Transfer-Encoding: quoted-printable',
        '',
        body,
        '',
      ].join('\n');
    const utf8 = run(dir, ['stats', '-', '--format', 'json'], mail('utf-8', 'Caf=C3=A9'));
    assert.equal(utf8.code, 0, utf8.stderr);
    assert.doesNotMatch(utf8.stderr, /charsets\.js/);
    const latin1 = run(dir, ['stats', '-', '--format', 'json'], mail('iso-8859-1', 'Caf=E9'));
    assert.equal(latin1.code, 0, latin1.stderr);
    assert.match(latin1.stderr, /charsets\.js: (no cache yet|cache used)/);
  });
});
