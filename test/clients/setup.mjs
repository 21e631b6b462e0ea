// Installs the clients the client tests drive, once (later runs only check): Debian's neovim (0.7.2),
// emacs-nox with elpa-eglot, and b4 (its core module and Python dependencies for b4's check runner,
// see b4/README.md). apt-get needs root; `apt-get update` runs only when something is missing.
// Run: node test/clients/setup.mjs. Exit 0 when every client is there, 1 when one is missing and
// could not be installed (the tests then skip it, or fail under CI=true).
import { spawnSync } from 'node:child_process';

const log = (msg) => console.log(`[clients setup] ${msg}`);

/** Debian package -> what the tests use from it. */
export const PACKAGES = {
  neovim: 'nvim (Neovim 0.7.2, built-in LSP client)',
  'emacs-nox': 'emacs --batch',
  'elpa-eglot': "Emacs' LSP client eglot",
  b4: "b4's core module for b4's check runner (python3 -m b4 ...)",
};

export function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'install ok installed';
}

export function missingPackages() {
  return Object.keys(PACKAGES).filter((p) => !installed(p));
}

function sh(cmd, args, env) {
  log(`${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Installs what is missing; returns the packages still missing afterwards (empty: all there). */
export function setup() {
  const missing = missingPackages();
  if (missing.length === 0) {
    log(`present: ${Object.keys(PACKAGES).join(', ')}`);
    return [];
  }
  if (process.getuid?.() !== 0) {
    log(`missing ${missing.join(', ')}, and not root: cannot apt-get install them`);
    return missing;
  }
  const t0 = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  try {
    sh('apt-get', [...lock, 'update', '-q'], env);
    sh('apt-get', [...lock, 'install', '-y', '-q', '--no-install-recommends', ...missing], env);
  } catch (e) {
    log(e.message);
  }
  const still = missingPackages();
  log(
    `installed ${missing.filter((p) => !still.includes(p)).join(', ') || 'nothing'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  return still;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const still = setup();
  if (still.length > 0) {
    console.error(`[clients setup] still missing: ${still.join(', ')}`);
    process.exit(1);
  }
  log('ready');
}
