import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * Where the dashboard's files are: `dashboard/` at the package root, found by walking up from this module because
 * it runs both from `src/server` (tests) and `dist/src/server` (the installed CLI).
 */
export function defaultStaticDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'dashboard', 'index.html'))) return join(dir, 'dashboard');
    dir = dirname(dir);
  }
  throw new Error('cannot find the dashboard/ directory of the autotune package');
}

/** The ES-module build of ECharts shipped in node_modules, served as `/vendor/echarts.esm.min.js`. */
export function echartsFile(): string {
  return join(dirname(createRequire(import.meta.url).resolve('echarts')), 'echarts.esm.min.mjs');
}

/**
 * Serves one file below `root`, for the known text types only. The path must stay inside root after resolution,
 * so `..` or encoded separators cannot reach other files; anything else is a 404.
 */
export async function serveFile(c: Context, root: string, path: string): Promise<Response> {
  const type = TYPES[extname(path)];
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  if (!type || !file.startsWith(base + sep) || path.includes('\0')) return c.json({ error: 'not found' }, 404);
  try {
    const body = await readFile(file);
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  } catch {
    return c.json({ error: 'not found' }, 404);
  }
}

/** Serves a known file by absolute path as JavaScript (the vendored ECharts). */
export async function serveVendor(c: Context, file: string): Promise<Response> {
  try {
    return c.body(await readFile(file), 200, { 'Content-Type': TYPES['.js'] as string, 'Cache-Control': 'max-age=86400' });
  } catch {
    return c.json({ error: 'not found' }, 404);
  }
}
