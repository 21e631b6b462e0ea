#!/usr/bin/env node
// The "VS Code executable" that @vscode/test-electron's runTests({ vscodeExecutablePath }) starts on
// this machine, where no desktop VS Code can be downloaded: it reads the arguments runTests passes
// (--extensionDevelopmentPath, --extensionTestsPath, --user-data-dir, --extensions-dir, a folder)
// and runs the tests in code-server's real Node extension host instead. Other flags (--no-sandbox,
// --disable-gpu-sandbox, ...) mean nothing to code-server and are ignored.
'use strict';

function parse(argv) {
  const opts = {
    developmentPaths: [],
    testsPath: undefined,
    folder: undefined,
    userData: undefined,
    extensionsDir: undefined,
    version: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      opts.folder ??= arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq < 0 ? undefined : eq);
    const value = () => (eq < 0 ? argv[++i] : arg.slice(eq + 1));
    if (key === 'extensionDevelopmentPath') opts.developmentPaths.push(value());
    else if (key === 'extensionTestsPath') opts.testsPath = value();
    else if (key === 'user-data-dir') opts.userData = value();
    else if (key === 'extensions-dir') opts.extensionsDir = value();
    else if (key === 'version') opts.version = true;
  }
  return opts;
}

(async () => {
  const opts = parse(process.argv.slice(2));
  const lib = await import('./codeServer.mjs');
  if (opts.version) {
    console.log(lib.vscodeVersion());
    return 0;
  }
  if (!opts.testsPath) {
    console.error('code-shim: only test runs (--extensionTestsPath) are supported');
    return 2;
  }
  return lib.runExtensionTests(opts);
})().then(
  (code) => process.exit(code === 0 ? 0 : 1),
  (e) => {
    console.error(`code-shim: ${e?.stack ?? e}`);
    process.exit(1);
  },
);
