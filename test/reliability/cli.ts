import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { repoPath } from '../helpers/tmp.js';

export const cli = repoPath('dist/src/cli/main.js');

/**
 * `autotune run` as a child process (with `env` added to this one's); `exit` resolves to its exit code (null when
 * killed) and its output.
 */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): { child: ChildProcess; exit: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, [cli, 'run', ...args, '--quiet'], { env: { ...process.env, FORCE_COLOR: '0', ...env } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return { child, exit };
}

export interface TrialRow {
  readonly number: number;
  readonly state: string;
  readonly params: string;
  readonly values: string | null;
  readonly fail_reason: string | null;
  readonly system_attrs: string;
  /** Null for a number reserved but never started (its process died while sampling). */
  readonly started_at: number | null;
}

/** Reads a study database as it is on disk (read-only, so a test never changes what it checks). */
export function readDb(file: string): { integrity: unknown; trials: TrialRow[]; studyState: string | undefined } {
  const db = new Database(file, { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'trials'").get()) return { integrity, trials: [], studyState: undefined };
    const study = db.prepare('SELECT state FROM studies').get() as { state: string } | undefined;
    return {
      integrity,
      trials: db
        .prepare('SELECT number, state, params, "values", fail_reason, system_attrs, started_at FROM trials ORDER BY number')
        .all() as TrialRow[],
      studyState: study?.state,
    };
  } finally {
    db.close();
  }
}
