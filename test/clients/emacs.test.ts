/**
 * Emacs (Debian's emacs-nox 28) with eglot (Debian's elpa-eglot 1.9) and the eglot setup of
 * docs/lsp-clients.md as its init.el, in `emacs --batch`: opening the sample series starts the
 * server, its diagnostics arrive in Flymake and a hover on a changed decision line answers.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { clientMissing, clientsDir, driverResult, editorRun, runs } from './support';

const missing = clientMissing("Debian's emacs-nox with elpa-eglot", () =>
  runs('emacs', ['--batch', '--eval', '(require (quote eglot))']),
);

interface EmacsResult {
  emacs: string;
  major_mode: string;
  eglot: boolean;
  server_name: string | null;
  language_id: string | null;
  diagnostics: { line: number; type: string; text: string }[];
  hover_line?: number;
  hover?: string;
}

describe('Emacs eglot with the documented setup', { skip: missing }, () => {
  it('opens the sample series: diagnostics arrive in Flymake and a hover answers', () => {
    const run = editorRun('emacs', 'emacs-eglot', 'init.el');
    const driver = path.join(clientsDir, 'emacs', 'driver.el');
    // --batch loads no init file of the user's (HOME is empty anyway) but the site files, which
    // activate Debian's elpa-* packages as in an interactive Emacs.
    const r = spawnSync('emacs', ['--batch', '-l', run.init, '-l', driver], {
      cwd: run.home,
      env: run.env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    const res = driverResult<EmacsResult>(run, r, 'emacs');
    console.log(
      `Emacs ${res.emacs}, ${res.major_mode}, eglot server ${res.server_name} (languageId ${res.language_id}): ` +
        `${res.diagnostics.length} Flymake diagnostics`,
    );
    assert.equal(res.major_mode, 'patch-mail-mode');
    assert.equal(res.eglot, true, `eglot did not connect: ${r.stderr}`);
    assert.equal(res.server_name, 'vfio-lens');
    assert.equal(res.language_id, 'patch-mail');
    const change = res.diagnostics.find((d) =>
      /\[behaviour-change\]: s390-vf-detached: .*; memory-enabled in /.test(d.text),
    );
    assert.ok(change, `no memory-enabled behaviour-change diagnostic: ${JSON.stringify(res.diagnostics)}`);
    assert.equal(change.line, 128);
    assert.equal(res.hover_line, 128);
    console.log(`hover on line ${res.hover_line}: ${(res.hover ?? '').split('\n')[0]}`);
    assert.match(res.hover ?? '', /memory-enabled/);
    // The settings reached the server (eglot answers workspace/configuration from them), and no
    // request on either side was answered with an error.
    const events = fs.readFileSync(`${run.out}.events`, 'utf8');
    assert.match(
      events,
      /:method "workspace\/configuration"[\s\S]*?:result\s*\[\(:baseline "auto" :analysisBudgetMs 3000\)\]/,
    );
    assert.doesNotMatch(events, /^\(:jsonrpc "2\.0" :id \d+ :error/m, 'an error reply on the wire');
    assert.match(events, /:method "shutdown"/);
  });
});
