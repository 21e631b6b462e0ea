// Bundles the three deliverables with esbuild: the VS Code client, the server+CLI, and the simulator webview.
// Also copies the two WebAssembly files tree-sitter needs next to the server bundle.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
mkdirSync(dist, { recursive: true });

const common = { bundle: true, sourcemap: true, minify, logLevel: 'warning', absWorkingDir: root };

// The shared protocol module (server/src/lsp/protocol.ts) takes its RequestType from
// vscode-languageserver-protocol; in the server bundle it gets the copy vscode-languageserver itself
// uses, so the bundle holds one protocol library, not two.
function packageDir(file) {
  let dir = path.dirname(file);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const serverLibrary = packageDir(require.resolve('vscode-languageserver'));
const oneProtocolLibrary = {
  name: 'one-protocol-library',
  setup(build) {
    build.onResolve({ filter: /^vscode-languageserver-protocol$/ }, (args) =>
      args.importer.endsWith(path.join('server', 'src', 'lsp', 'protocol.ts'))
        ? build.resolve(args.path, { resolveDir: serverLibrary, kind: args.kind })
        : undefined,
    );
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // web-tree-sitter finds its .wasm through import.meta.url, which a CommonJS bundle lacks
    banner: {
      js: "#!/usr/bin/env node\nconst __importMetaUrl = require('url').pathToFileURL(__filename).href;",
    },
    define: { 'import.meta.url': '__importMetaUrl' },
    plugins: [oneProtocolLibrary],
  },
  {
    ...common,
    entryPoints: ['client/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

for (const file of [
  require.resolve('web-tree-sitter/tree-sitter.wasm'),
  require.resolve('tree-sitter-c/tree-sitter-c.wasm'),
]) {
  copyFileSync(file, path.join(dist, path.basename(file)));
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync(path.join(dist, 'cli.js'), 0o755);
}
