// Runs before `npm test`: installs Debian's Chromium for test/export/browser.test.ts when it can (CI runs as root
// on Debian). Anything else only explains itself — the browser test then skips — and the test run never fails here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const APT = '/usr/bin/apt-get';
const say = (message) => console.log(`ensure-chromium: ${message}`);

function run(args) {
  say(`running ${APT} ${args.join(' ')}`);
  const result = spawnSync(APT, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

if (existsSync(CHROMIUM)) {
  say(`${CHROMIUM} is installed`);
} else if (process.platform !== 'linux' || process.getuid?.() !== 0) {
  say(`skipping: ${CHROMIUM} is missing and installing it needs root; the browser test will be skipped`);
} else if (!existsSync(APT)) {
  say(`skipping: ${CHROMIUM} is missing and there is no apt-get; the browser test will be skipped`);
} else {
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  // A fresh container's package lists may be empty or stale: refresh them only when the install needs it.
  const ok = run(install) || (run(['update']) && run(install));
  if (ok && existsSync(CHROMIUM)) say(`installed ${CHROMIUM}`);
  else console.warn(`ensure-chromium: warning: could not install chromium; the browser test will be skipped`);
}
