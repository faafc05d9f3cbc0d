// How fast hostile study input is refused: each bomb must be turned away before anything it asks for is allocated,
// so its refusal costs milliseconds whatever it asks for. Was an elapsed-time assertion in
// test/hostile/study-bombs.test.ts (which now checks only what is refused and why).
// Run: npm run build && node dist/bench/refusals.js [--runs 5]
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../src/core/errors.js';
import { loadStudyFile, parseStudy } from '../src/space/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const base = { name: 'bomb', objective: { module: './f.mjs', direction: 'minimize' } };

function nestedBranches(depth: number): Record<string, unknown> {
  let space: Record<string, unknown> = { x: { float: [0, 1] } };
  for (let i = 0; i < depth; i++) space = { m: { choice: { b: space } } };
  return space;
}

const dir = mkdtempSync(join(tmpdir(), 'autotune-refusals-'));
const huge = join(dir, 'huge.json');
writeFileSync(huge, '');
truncateSync(huge, 100 * 1024 * 1024); // sparse

const bombs: [string, () => unknown][] = [
  ['a billion units', () => parseStudy({ ...base, space: { units: { int: [1, 1_000_000_000] } } })],
  ['a million trials', () => parseStudy({ ...base, search: { trials: 1_000_000 }, space: { x: 1 } })],
  ['a choice of 100,000 values', () => parseStudy({ ...base, space: { x: { choice: Array.from({ length: 100_000 }, (_, i) => i) } } })],
  [
    '10,000 parameters',
    () => parseStudy({ ...base, space: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`p${i}`, { float: [0, 1] }])) }),
  ],
  ['branches nested 1,000 deep', () => parseStudy({ ...base, space: nestedBranches(1000) })],
  [
    'arrays nested 100,000 deep',
    () => parseStudy({ ...base, space: { x: { choice: JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) } } }),
  ],
  ['a 100 MB study file', () => loadStudyFile(huge)],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

try {
  console.log('| bomb | refused in (median ms) |\n|---|---|');
  for (const [what, bomb] of bombs) {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      try {
        bomb();
        throw new Error(`${what}: accepted`);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
      times.push(performance.now() - started);
    }
    console.log(`| ${what} | ${median(times).toFixed(2)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
