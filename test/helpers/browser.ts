import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
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

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}
