import { existsSync } from 'node:fs';
import { repoPath } from './tmp.js';

/** Debian's Chromium, driven by playwright-core; browser tests skip when it is not installed. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_INSTALLED = existsSync(CHROMIUM);

/** A browser suite's title, saying why it is skipped when it is: a silent skip reads like a pass in the report. */
export function browserSuite(title: string): string {
  return CHROMIUM_INSTALLED
    ? title
    : `${title} — skipped: ${CHROMIUM} is not installed (npm test's pretest installs it when run as root with apt-get)`;
}

/** Screenshots for a person to look at (git-ignored). */
export const ARTIFACTS = repoPath('test/artifacts');

export { freePort } from './ports.js';
