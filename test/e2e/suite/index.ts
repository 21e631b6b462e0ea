/**
 * The mocha runner VS Code loads in its extension host (--extensionTestsPath): runs every
 * *.e2e.js beside it and reports failures through the returned promise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.e2e.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`extension-host suite: ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
  });
}
