// Installs a Debian package that a test or benchmark needs, when it is missing and this process may (root, Linux,
// apt-get); otherwise it says in one line why it did not and what is skipped. It never fails the caller's run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const APT = '/usr/bin/apt-get';

/**
 * @param {{ tag: string, pkg: string, what: string, present: () => boolean, otherwise: string }} need
 *   `tag` prefixes every line, `what` names the thing looked for, `otherwise` says what is skipped without it.
 * @returns {boolean} whether it is there at the end
 */
export function ensureDebianPackage({ tag, pkg, what, present, otherwise }) {
  const say = (message) => console.log(`${tag}: ${message}`);
  const run = (args) => {
    say(`running ${APT} ${args.join(' ')}`);
    return spawnSync(APT, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  if (present()) {
    say(`${what} is installed`);
    return true;
  }
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    say(`skipping: ${what} is missing and installing ${pkg} needs root; ${otherwise}`);
    return false;
  }
  if (!existsSync(APT)) {
    say(`skipping: ${what} is missing and there is no apt-get; ${otherwise}`);
    return false;
  }
  const install = ['install', '-y', '--no-install-recommends', pkg];
  // A fresh container's package lists may be empty or stale: refresh them only when the install needs it.
  const ok = run(install) || (run(['update']) && run(install));
  if (ok && present()) {
    say(`installed ${pkg}`);
    return true;
  }
  console.warn(`${tag}: warning: could not install ${pkg}; ${otherwise}`);
  return false;
}
