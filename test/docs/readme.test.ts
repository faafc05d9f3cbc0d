import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../helpers/tmp.js';

// The README is the contract: these tests keep it from drifting away from the CLI and from bench/RESULTS.md.
const readme = readFileSync(repoPath('README.md'), 'utf8');
const results = readFileSync(repoPath('bench/RESULTS.md'), 'utf8');
const cli = repoPath('dist/src/cli/main.js');

function help(args: string[]): string {
  const out = spawnSync(process.execPath, [cli, ...args, '--help'], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  expect(out.status).toBe(0);
  return out.stdout;
}

/** The subcommands `autotune --help` lists, without commander's own `help`. */
function commands(): string[] {
  const section = help([]).split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1] as string).filter((name) => name !== 'help');
}

/** Long options a `--help` text lists, without `--help` itself. */
function options(text: string): string[] {
  const section = text.split(/^Options:$/m)[1] ?? '';
  return [...new Set([...section.matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]))].filter((o) => o !== '--help');
}

/**
 * Measured figures the README quotes, as patterns to find in RESULTS.md: durations and ratios anywhere (with their
 * unit), every decimal in the Benchmarks section. A figure must stand whole there: 0.18 is not found in 0.183.
 */
function quotedFigures(): Map<string, RegExp> {
  const figures = new Map<string, RegExp>();
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of readme.matchAll(/(?<![\d.])(\d[\d,]*(?:\.\d+)?) ?(ms\b|×(?!\d))/g)) {
    figures.set(m[0], new RegExp(`(?<![\\d.,])${escape(m[1] as string)} ?${m[2] === 'ms' ? 'ms' : '×'}`));
  }
  const benchmarks = readme.split(/^## Benchmarks$/m)[1]?.split(/^## /m)[0] ?? '';
  for (const m of benchmarks.matchAll(/(?<![\d.])\d+\.\d+(?:e-?\d+)?(?![\d])/g)) {
    figures.set(m[0], new RegExp(`(?<![\\d.,])${escape(m[0])}(?![\\d])`));
  }
  return figures;
}

describe('README', () => {
  it('documents every command and every option of every command', () => {
    const names = commands();
    expect(names).toContain('run');
    const missing: string[] = [];
    for (const name of names) {
      if (!readme.includes(`autotune ${name}`)) missing.push(`autotune ${name}`);
      for (const option of options(help([name]))) if (!readme.includes(option)) missing.push(`${name} ${option}`);
    }
    expect(missing).toEqual([]);
  });

  it('quotes only figures that stand in bench/RESULTS.md', () => {
    const figures = [...quotedFigures()];
    expect(figures.length).toBeGreaterThan(10);
    expect(figures.filter(([, pattern]) => !pattern.test(results)).map(([figure]) => figure)).toEqual([]);
  });
});
