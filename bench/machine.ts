// What a figure was measured on, for the line under each Markdown block: the date, the processor, the cores and
// the load average (the project's machines are shared, and other jobs move the figures).
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** The processor's "model name" from /proc/cpuinfo (os.cpus() where there is none). */
export function processorName(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall through.
  }
  return cpus()[0]?.model ?? 'unknown processor';
}

/** The 1-minute load average, to one decimal. */
export function load1(): string {
  return (loadavg()[0] ?? 0).toFixed(1);
}

/** `2026-12-02 05:10 UTC, AMD EPYC (2 cores), Node.js v20.20.2, load average 1.3 at start → 2.1 at end`. */
export function machineLine(loadAtStart: string): string {
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  return `${date} UTC, ${processorName()} (${cpus().length} cores), Node.js ${process.version}, load average ${loadAtStart} at start → ${load1()} at end`;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** The q-quantile by rank (no interpolation): q = 0.99 of 200 samples is the 198th. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
