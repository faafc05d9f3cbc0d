// Runs bench/throughput/pytorch.py, the PyTorch side of the throughput benchmark, in a fresh Python process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter, where `apt-get install python3-torch` puts torch (not a virtualenv's `python3`). */
export const PYTHON = '/usr/bin/python3';

/** pytorch.py beside this module's source: found from bench/throughput (tests) and dist/bench/throughput. */
export function pytorchScript(): string {
  for (const candidate of ['./pytorch.py', '../../../bench/throughput/pytorch.py']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('bench/throughput/pytorch.py not found');
}

export function torchInstalled(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch']).status === 0;
}

/** The JSON object pytorch.py prints for `args`, or its last line of error output as a thrown Error. */
export function runPytorch(args: readonly string[]): Record<string, unknown> {
  const out = spawnSync(PYTHON, [pytorchScript(), ...args], { encoding: 'utf8' });
  if (out.status !== 0) {
    const last = out.error?.message ?? out.stderr.trim().split('\n').at(-1);
    throw new Error(`pytorch.py ${args.join(' ')}: ${last || `exit ${out.status}`}`);
  }
  return JSON.parse(out.stdout) as Record<string, unknown>;
}
