import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { recordCounts } from '../helpers/reliability-log.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

/** How many trials the SQLite file holds complete, and whether it passes the integrity check. */
function inspect(db: string) {
  const sqlite = new Database(db, { readonly: true });
  try {
    return {
      integrity: sqlite.pragma('integrity_check', { simple: true }),
      complete: (sqlite.prepare("SELECT COUNT(*) AS n FROM trials WHERE state = 'complete'").get() as { n: number }).n,
    };
  } finally {
    sqlite.close();
  }
}

describe('autotune backup', () => {
  const dir = useTempDir();

  it('copies a database while a study is writing to it, and the copy passes the integrity check', async () => {
    const db = join(dir(), 'live.db');
    const child = spawn(process.execPath, [CLI, 'run', repoPath('search-spaces/branin.json'), '--trials', '3000', '--storage', db], {
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    try {
      // The study is writing once its progress shows finished trials; the copy starts then (not after a guess).
      await new Promise<void>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (/\[20\/3000\]/.test(stdout)) resolve();
        });
        child.on('exit', (code) => reject(new Error(`the study exited (${code}) before 20 trials: ${stdout}`)));
      });
      const out = join(dir(), 'copy.db');
      const backup = runCli(['backup', db, out]);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain('integrity ok');
      expect(child.exitCode, 'the study was still writing when the copy finished').toBeNull();
      const copy = inspect(out);
      expect(copy.integrity).toBe('ok');
      expect(copy.complete).toBeGreaterThanOrEqual(20);
      recordCounts({ 'trials in the copy': copy.complete });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
