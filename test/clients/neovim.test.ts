/**
 * Neovim's built-in LSP client (Debian's neovim 0.7.2) with the Neovim 0.7 setup of
 * docs/lsp-clients.md as its init.lua opens the sample series: the server's diagnostics arrive in
 * vim.diagnostic and a hover on a changed decision line answers. Runs headless, with a HOME and
 * XDG directories of its own so no user configuration takes part.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { clientMissing, clientsDir, driverResult, editorRun, runs } from './support';

const missing = clientMissing("Debian's neovim (nvim)", () => runs('nvim', ['--version']));

interface NvimResult {
  filetype: string;
  nvim: { major: number; minor: number; patch: number };
  waited_for_diagnostics: boolean;
  clients: string[];
  diagnostics: { lnum: number; col: number; severity: number; code?: string; message: string }[];
  hover_line: number;
  hover?: ({ kind: string; value: string } | string)[];
  hover_error?: unknown;
}

describe('Neovim 0.7 with the documented setup', { skip: missing }, () => {
  it('opens the sample series: diagnostics arrive and a hover answers on a changed decision line', () => {
    const run = editorRun('nvim', 'neovim-0.7', 'init.lua');
    for (const [x, dir] of Object.entries({ CONFIG: 'config', DATA: 'data', STATE: 'state', CACHE: 'cache' }))
      run.env[`XDG_${x}_HOME`] = path.join(run.home, dir);
    const driver = path.join(clientsDir, 'neovim', 'driver.lua');
    // Debug logging from before init.lua on, so the LSP log shows every message.
    const args = [
      '--headless',
      '-i',
      'NONE',
      '--cmd',
      "lua vim.lsp.set_log_level('debug')",
      '-u',
      run.init,
      run.series,
    ];
    const r = spawnSync('nvim', [...args, '-c', `luafile ${driver}`], {
      cwd: run.home,
      env: run.env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    const res = driverResult<NvimResult>(run, r, 'nvim');
    console.log(
      `Neovim ${res.nvim.major}.${res.nvim.minor}.${res.nvim.patch}, filetype ${res.filetype}, clients ${res.clients.join(', ')}: ` +
        `${res.diagnostics.length} diagnostics (${[...new Set(res.diagnostics.map((d) => d.code))].join(', ')})`,
    );
    assert.equal(res.filetype, 'mail');
    assert.deepEqual(res.clients, ['vfio_lens']);
    assert.ok(res.waited_for_diagnostics, 'no diagnostics arrived');
    const change = res.diagnostics.find(
      (d) =>
        d.code === 'behaviour-change' && d.message.includes('; memory-enabled in __vfio_pci_memory_enabled:'),
    );
    assert.ok(change, `no memory-enabled behaviour-change diagnostic: ${JSON.stringify(res.diagnostics)}`);
    assert.equal(change.lnum, 127, 'the memory-enabled finding is on line 128 of the series');
    assert.ok(res.hover_line > 0, 'the decision line is not in the buffer');
    const hover = (res.hover ?? []).map((h) => (typeof h === 'string' ? h : h.value)).join('\n');
    console.log(`hover on line ${res.hover_line}: ${hover.split('\n')[0]}`);
    assert.match(hover, /memory-enabled/);
    // The settings of the setup reached the server, and nothing went wrong on the wire.
    const log = fs.readFileSync(path.join(run.home, 'cache', 'nvim', 'lsp.log'), 'utf8');
    assert.match(
      log,
      /method = "workspace\/didChangeConfiguration",\s*params = \{\s*settings = \{\s*vfioLens = \{/,
    );
    assert.doesNotMatch(log, /^\[(ERROR|WARN)\]/m, 'the LSP log has errors or warnings');
  });
});
