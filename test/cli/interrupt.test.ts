import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recordCounts } from '../helpers/reliability-log.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

const cli = repoPath('dist/src/cli/main.js');

/**
 * Runs the wine study and sends SIGINT once the first trial has finished, and again (when `count` is 2) once the
 * run says it is stopping; resolves to the exit code.
 */
function interruptedRun(db: string, count: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', repoPath('search-spaces/wine.json'), '--storage', db, '--grace', '20'], {
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    let sent = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // 14 trials: wine.json's 12 and its two baselines.
      if (sent === 0 && /\[1\/14\]/.test(stdout)) {
        sent = 1;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (sent === 1 && count === 2 && stderr.includes('stopping: no new trials')) {
        sent = 2;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

function inspect(db: string) {
  const sqlite = new Database(db, { readonly: true });
  try {
    return {
      integrity: sqlite.pragma('integrity_check', { simple: true }),
      states: Object.fromEntries(
        (sqlite.prepare('SELECT state, COUNT(*) AS n FROM trials GROUP BY state').all() as { state: string; n: number }[]).map(
          (r): [string, number] => [r.state, r.n],
        ),
      ),
      study: (sqlite.prepare('SELECT state FROM studies').get() as { state: string }).state,
    };
  } finally {
    sqlite.close();
  }
}

describe('Ctrl-C during `autotune run`', () => {
  const dir = useTempDir();

  it('first Ctrl-C: starts no new trial, lets running ones finish, exits 130 with a consistent database', async () => {
    const db = join(dir(), 'int.db');
    const { code, stderr } = await interruptedRun(db, 1);
    expect(code).toBe(130);
    expect(stderr).toContain('stopping: no new trials');
    const after = inspect(db);
    expect(after.integrity).toBe('ok');
    expect(after.study).toBe('stopped');
    expect(after.states.running ?? 0).toBe(0);
    expect(after.states.complete).toBeGreaterThanOrEqual(1);
    expect(after.states.complete).toBeLessThan(14);
    recordCounts({ 'trials of 14 completed': after.states.complete ?? 0, 'trials left running': after.states.running ?? 0 });
  });

  it('second Ctrl-C: exits at once, and the database is still consistent', async () => {
    const db = join(dir(), 'int2.db');
    const { code } = await interruptedRun(db, 2);
    expect(code).toBe(130);
    expect(inspect(db).integrity).toBe('ok');
  });
});
