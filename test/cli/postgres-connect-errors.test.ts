import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { postgresAdminUrl } from '../helpers/postgres.js';
import { freePort } from '../helpers/ports.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';

/** `autotune ARGS` in `cwd`, run asynchronously so that the cases below run side by side. */
function autotune(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every command that opens storage, with the URL given. `--port` is one nobody uses, should the dashboard start. */
const commands = (url: string, port: number): Record<string, string[]> => ({
  run: ['run', repoPath('search-spaces/branin.json'), '--trials', '2', '--storage', url],
  studies: ['studies', '--storage', url],
  dashboard: ['dashboard', '--storage', url, '--port', String(port)],
});

describe('a PostgreSQL storage the command line cannot reach', () => {
  const dir = useTempDir();

  it('is one line naming the URL without its password, exit 2, nothing written, for run, studies and dashboard', async () => {
    const admin = new URL(postgresAdminUrl());
    const wrongPassword = new URL(admin);
    wrongPassword.password = 'not-the-password';
    const missing = new URL(admin);
    missing.pathname = '/autotune_cli_no_such_database';
    const refusedPort = await freePort();
    // A host that takes the connection and never answers, as one behind a firewall that drops packets would.
    const silentSockets: Socket[] = [];
    const silent = createServer((socket) => void silentSockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const silentPort = (silent.address() as { port: number }).port;
    // (expected reason, URL, commands): a wrong password, a missing database, nothing listening, a host that never
    // answers. test/cli/postgres.test.ts has run and studies with a wrong password.
    const faults: [RegExp, string, string[]][] = [
      [/password authentication failed/, wrongPassword.toString(), ['dashboard']],
      [/database "autotune_cli_no_such_database" does not exist/, missing.toString(), ['run', 'studies', 'dashboard']],
      [/connection refused/, `postgres://u:secret@127.0.0.1:${refusedPort}/db`, ['run', 'studies', 'dashboard']],
      [/no answer within connect_timeout/, `postgres://u:secret@127.0.0.1:${silentPort}/db?connect_timeout=1`, ['run', 'dashboard']],
    ];
    const cases = await Promise.all(
      faults.flatMap(([reason, url, names]) =>
        names.map(async (name) => ({ name, reason, url, out: await autotune(commands(url, refusedPort)[name] ?? [], dir()) })),
      ),
    );
    for (const socket of silentSockets) socket.destroy();
    silent.close();
    for (const { name, reason, url, out } of cases) {
      const shown = url.replace(/:[^:@/]*@/, ':***@');
      const label = `${name} on ${shown}`;
      expect(out.code, label).toBe(2);
      expect(out.stdout, label).toBe('');
      const lines = out.stderr.trim().split('\n');
      expect(lines, label).toHaveLength(1);
      expect(lines[0], label).toMatch(new RegExp(`^autotune: cannot connect to PostgreSQL at ${escape(shown)}: `));
      expect(lines[0], label).toMatch(reason);
      expect(lines[0], label).not.toMatch(/secret|not-the-password/);
    }
    expect(readdirSync(dir())).toEqual([]);
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    const { rows } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'autotune_cli_no_such_database'");
    await client.end();
    expect(rows).toEqual([]);
  }, 30_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
