// The extension-host suite through @vscode/test-electron's runTests. Here the "VS Code executable"
// is code-shim.cjs (code-server underneath); with VSCODE_EXECUTABLE=/path/to/code, or
// VFIO_LENS_E2E_DOWNLOAD=1 on a machine that can download VS Code, the same call runs a desktop VS Code.
import { runTests } from '@vscode/test-electron';
import path from 'node:path';
import { paths } from './paths.mjs';
import { inputsMissing, makeWorkspace } from './workspace.mjs';

export async function runExtensionHostSuite(workspace) {
  const download = process.env.VFIO_LENS_E2E_DOWNLOAD === '1';
  const vscodeExecutablePath = download
    ? undefined
    : (process.env.VSCODE_EXECUTABLE ?? path.join(paths.root, 'test', 'e2e', 'code-shim.cjs'));
  try {
    await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
      extensionDevelopmentPath: paths.root,
      extensionTestsPath: path.join(paths.root, 'out', 'test', 'e2e', 'suite', 'index.js'),
      // runTests would otherwise put its user data and extensions in .vscode-test/ of the working tree
      launchArgs: [
        workspace,
        '--disable-extensions',
        `--user-data-dir=${path.join(paths.output, 'ext-host-user-data')}`,
        `--extensions-dir=${path.join(paths.output, 'ext-host-extensions')}`,
      ],
      extensionTestsEnv: { VFIO_LENS_E2E: '1' },
    });
    return 0;
  } catch (e) {
    console.error(`extension-host suite failed: ${e?.message ?? e}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // node test/e2e/extHost.mjs [workspace]: without a workspace, a fresh one with the ../shared inputs
  const missing = process.argv[2] ? undefined : inputsMissing();
  if (missing) {
    console.error(missing);
    process.exit(1);
  }
  process.exit(await runExtensionHostSuite(path.resolve(process.argv[2] ?? makeWorkspace())));
}
