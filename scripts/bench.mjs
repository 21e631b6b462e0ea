// npm run bench: compiles the benchmarks (test/bench/*.bench.ts) and runs each in its own process,
// one after the other, so they do not compete for the two cores. Each prints its own report; the
// reports are also written to bench-results/<name>.txt. Benchmarks are never part of npm test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);
const tsc = spawnSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(1);
const dir = path.join(root, 'out/test/bench');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.js'))
      .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
      .sort()
  : [];
if (files.length === 0) {
  console.error('no benchmarks found');
  process.exit(1);
}
mkdirSync(path.join(root, 'bench-results'), { recursive: true });
let failed = 0;
for (const f of files) {
  console.log(`\n##### ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(dir, f)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(r.stdout);
  writeFileSync(path.join(root, 'bench-results', f.replace(/\.bench\.js$/, '.txt')), r.stdout);
  if (r.status !== 0) {
    failed++;
    console.log(`##### ${f} FAILED (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
