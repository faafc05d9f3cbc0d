// Runs before `npm test`: installs Debian's Chromium for test/export/browser.test.ts when it can (CI runs as root
// on Debian). Anything else only explains itself — the browser test then skips — and the test run never fails here.
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './ensure-debian-package.mjs';

const CHROMIUM = '/usr/bin/chromium';

ensureDebianPackage({
  tag: 'ensure-chromium',
  pkg: 'chromium',
  what: CHROMIUM,
  present: () => existsSync(CHROMIUM),
  otherwise: 'the browser test will be skipped',
});
