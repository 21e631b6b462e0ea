// npm run fuzz [-- --minutes N --seed N --entries reader,diff,csrc,analysis,model --inputs N --no-save]:
// compiles, then runs the long fuzz pass (test/fuzz/long.ts): inputs at the full sizes of issue 13
// in a watchdog-guarded worker with the CLI's stack; prints inputs tried, failures (each kept as
// test/fuzz/regressions/*.json), the worst time and memory. Exit 1 when anything failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tsc = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', '.'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const run = spawnSync(
  process.execPath,
  [path.join(root, 'out/test/fuzz/long.js'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(run.status ?? 1);
