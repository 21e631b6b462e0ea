// Bundles the deliverables with esbuild: the VS Code client, the server+CLI, and the simulator webview.
// Also copies the two WebAssembly files tree-sitter needs next to the server bundle.
//
// The client is dist/extension-main.js, run by dist/extension.js (scripts/extension-loader.cjs)
// through V8's code cache, as dist/cli.js runs the server's.
//
// The server+CLI is four files, so that a run loads only what it uses:
//  - dist/cli.js, the `vfio-lens` bin and the server's entry: a small loader (scripts/cli-loader.cjs)
//    that runs the bundle through V8's code cache;
//  - dist/cli-bundle.js, the program (server/src/cli/main.ts); each command's modules are evaluated
//    only when that command runs (main.ts imports them lazily);
//  - dist/analysis-process.js, what the loader runs for the language server before the bundle
//    loads: it starts the server's analysis process (server/src/lsp/analysisProcess.ts) meanwhile;
//  - dist/charsets.js, iconv-lite and encoding-japanese (half the program's size): libmime needs
//    them only for mail in a charset other than UTF-8 or ASCII, so cli-bundle.js loads them then.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dist = path.resolve(root, argValue('--outdir') ?? 'dist');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
mkdirSync(dist, { recursive: true });
const out = (file) => path.join(dist, file);

/** The modules dist/charsets.js holds, required lazily from the bundle. */
const CHARSET_MODULES = ['iconv-lite', 'encoding-japanese'];

/**
 * In cli-bundle.js each charset module is a stand-in whose properties load dist/charsets.js on
 * first use. Its property names are the real module's, read here.
 */
const lazyCharsets = {
  name: 'lazy-charsets',
  setup(build) {
    const filter = new RegExp(`^(${CHARSET_MODULES.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-charsets' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-charsets' }, (args) => {
      const names = Object.keys(require(args.path));
      return {
        loader: 'js',
        contents: [
          'let real;',
          `const load = () => (real ??= require('./charsets.js')[${JSON.stringify(args.path)}]);`,
          `for (const name of ${JSON.stringify(names)})`,
          '  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });',
        ].join('\n'),
      };
    });
  },
};

/**
 * web-tree-sitter's CommonJS build: its ES module build finds its .wasm through import.meta.url and
 * loads `module` through a dynamic import(), which a CommonJS bundle run by dist/cli.js (a vm.Script,
 * without a module loader) cannot do. Its one dynamic import left, of fs/promises when a language is
 * loaded from a path (treeSitter.ts hands it the bytes), becomes a require.
 */
const treeSitterCommonJs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    const file = require.resolve('web-tree-sitter');
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: file }));
    build.onLoad({ filter: /[\\/]web-tree-sitter[\\/]tree-sitter\.cjs$/ }, (args) => ({
      loader: 'js',
      contents: readFileSync(args.path, 'utf8').replaceAll(
        'await import("fs/promises")',
        'require("fs/promises")',
      ),
    }));
  },
};

const common = { bundle: true, sourcemap: true, minify, logLevel: 'warning', absWorkingDir: root };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

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
    ...node,
    // dist/extension.js is its loader (writeLoaders: the bundle through V8's code cache)
    entryPoints: ['client/src/extension.ts'],
    outfile: out('extension-main.js'),
    external: ['vscode'],
  },
  {
    ...node,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: out('cli-bundle.js'),
    external: ['./charsets.js'],
    plugins: [treeSitterCommonJs, lazyCharsets, oneProtocolLibrary],
  },
  {
    // what dist/cli.js runs for the language server before its bundle loads (lsp/analysisProcess.ts)
    ...node,
    entryPoints: ['server/src/lsp/analysisProcess.ts'],
    outfile: out('analysis-process.js'),
  },
  {
    ...node,
    stdin: {
      contents: `module.exports = { ${CHARSET_MODULES.map((m) => `${JSON.stringify(m)}: require(${JSON.stringify(m)})`).join(', ')} };`,
      resolveDir: root,
      sourcefile: 'charsets.js',
    },
    outfile: out('charsets.js'),
  },
  {
    ...common,
    entryPoints: ['client/webview/main.ts'],
    outfile: out('webview.js'),
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

const bundleHash = (f) =>
  createHash('sha256')
    .update(readFileSync(out(f), 'utf8'))
    .digest('hex')
    .slice(0, 16);

/** A bundle a loader runs through V8's code cache (a vm.Script): it cannot hold a dynamic import(). */
function checkLoadable(f) {
  if (/\bimport\(/.test(readFileSync(out(f), 'utf8').replace(/\/\/.*$/gm, '')))
    throw new Error(`${f} holds a dynamic import(), which its loader cannot run from a code cache`);
}

/** A loader's text, with the module it requires for the code cache's folder and files written into it. */
function loaderText(name) {
  const paths = readFileSync(path.join(root, 'scripts', 'code-cache-paths.cjs'), 'utf8');
  const text = readFileSync(path.join(root, 'scripts', name), 'utf8');
  const include = /^const (\{[^}]*\}) = require\('\.\/code-cache-paths\.cjs'\);$/m;
  if (!include.test(text)) throw new Error(`scripts/${name} no longer requires ./code-cache-paths.cjs`);
  return text.replace(
    include,
    (_, names) =>
      `const ${names} = (() => {\nconst module = { exports: {} };\n${paths}\nreturn module.exports;\n})();`,
  );
}

/**
 * The loaders, with each bundle's content hash (null in watch mode: no code cache): dist/cli.js
 * (the CLI and the language server) and dist/extension.js (the VS Code extension).
 */
function writeLoaders(withHashes) {
  const hashes = {};
  for (const f of withHashes ? ['cli-bundle.js', 'charsets.js'] : []) {
    checkLoadable(f);
    hashes[f] = bundleHash(f);
  }
  // the wasm tier-up flag treeSitter.ts sets, so that the loader sets the same before compiling
  const tiering = /export const WASM_TIERING = ('[^']*');/.exec(
    readFileSync(path.join(root, 'server/src/csrc/treeSitter.ts'), 'utf8'),
  );
  if (!tiering) throw new Error('server/src/csrc/treeSitter.ts no longer exports WASM_TIERING');
  const loader = loaderText('cli-loader.cjs')
    .replace('/* BUNDLE_HASHES */ null', withHashes ? JSON.stringify(hashes) : 'null')
    .replace("/* WASM_TIERING */ ''", tiering[1]);
  writeFileSync(out('cli.js'), loader);
  chmodSync(out('cli.js'), 0o755);
  if (withHashes) checkLoadable('extension-main.js');
  const extension = loaderText('extension-loader.cjs').replace(
    '/* BUNDLE_HASH */ null',
    withHashes ? JSON.stringify(bundleHash('extension-main.js')) : 'null',
  );
  writeFileSync(out('extension.js'), extension);
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  writeLoaders(false);
  console.log('esbuild: watching (dist/cli.js without a code cache while the bundles change)');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  writeLoaders(true);
}
