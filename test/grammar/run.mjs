// Grammar tests: vscode-tmgrammar-test over the samples in test/grammar/fixtures/ (scope assertions
// written next to each line). The grammars come from package.json's contributes; the C and diff
// grammars they include come from the tm-grammars package (the same TextMate grammars VS Code ships).
// Also proves the runner can fail: a copy of one fixture with one assertion changed must be rejected.
// Exits non-zero on any failure and prints "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const fixtures = path.join(root, 'test', 'grammar', 'fixtures');
const tool = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const extraGrammars = ['c', 'diff'].map((g) => require.resolve(`tm-grammars/grammars/${g}.json`));

/** Grammars the C grammar includes for inline assembly; not needed here, so their absence is noise. */
const NOISE = /^grammar not found for "source\.(x86|x86_64|arm|asm)"$/;

function runTool(file) {
  const r = spawnSync(process.execPath, [tool, '-c', ...extraGrammars.flatMap((g) => ['-g', g]), file], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60000,
  });
  const text = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l && !NOISE.test(l))
    .join('\n');
  const timedOut = r.error?.code === 'ETIMEDOUT';
  return {
    ok: r.status === 0 && !/^ERROR/m.test(text),
    text: timedOut ? `${text}\ntimed out after 60 s` : text,
  };
}

let passed = 0;
let failed = 0;
const files = readdirSync(fixtures)
  .filter((f) => /\.test\.\w+$/.test(f))
  .sort();
if (files.length === 0) {
  console.error(`no fixtures in ${fixtures}`);
  process.exit(1);
}
for (const f of files) {
  const file = path.join(fixtures, f);
  const assertions = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^#\s*(\^|<-)/.test(l)).length;
  const r = runTool(file);
  if (r.ok && assertions > 0) {
    passed++;
    console.log(`ok   ${f} (${assertions} assertion lines)`);
  } else {
    failed++;
    console.log(`FAIL ${f}${assertions === 0 ? ' (no assertions)' : ''}\n${r.text}`);
  }
}

// The runner must be able to fail: flip one expected scope and expect a rejection.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-grammar-'));
try {
  const sample = files[0];
  const text = readFileSync(path.join(fixtures, sample), 'utf8');
  const broken = text.replace(/^(#\s*\^+\s+)([\w.-]+)/m, '$1not.a.real.scope');
  const copy = path.join(tmp, sample);
  writeFileSync(copy, broken);
  const r = runTool(copy);
  if (!r.ok && broken !== text) {
    passed++;
    console.log(`ok   a wrong assertion in ${sample} is reported`);
  } else {
    failed++;
    console.log(`FAIL a wrong assertion in ${sample} was not reported`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
