import { spawnSync } from 'node:child_process';
import { repoPath } from './tmp.js';

/** The built command line, as `npx autotune` runs it. */
export const CLI = repoPath('dist/src/cli/main.js');

/** Runs `autotune ARGS` to completion (colour off) and returns its exit code and output. */
export function runCli(
  args: readonly string[],
  cwd = repoPath(),
  timeoutMs = 120_000,
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
