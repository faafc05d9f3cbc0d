// Training throughput of the five reference models per backend, against PyTorch 1.13 on one CPU thread
// (shared/reference/optuna.md). Each (backend, model) runs in its own child process, because kernel
// registrations are per process: "wasm (stock)" is tfjs-backend-wasm as published, "wasm (autotune)" adds our
// kernel pack. Median of 5 timed runs of ≥ 1 s after a warm-up.
// Run: npm run build && node dist/bench/training-throughput.js [--runs 5] [--backends cpu,wasm-stock,wasm] [--pool]
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { median } from '../src/maths/stats.js';
import { REFERENCE_MODELS } from './throughput/models.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    backends: { type: 'string', default: 'cpu,wasm-stock,wasm,tensorflow' },
    child: { type: 'string' },
    model: { type: 'string' },
    pool: { type: 'boolean', default: false },
  },
});
const self = fileURLToPath(import.meta.url);

async function measure(backend: string, modelIndex: number, runs: number): Promise<number> {
  if (backend === 'wasm') (await import('../src/training/wasm/register.js')).registerWasmKernels();
  if (backend === 'wasm-stock') await import('@tensorflow/tfjs-backend-wasm');
  if (backend === 'tensorflow') await import('@tensorflow/tfjs-node' as string);
  tf.env().set('PROD', true);
  if (!(await tf.setBackend(backend === 'wasm-stock' ? 'wasm' : backend))) throw new Error(`backend ${backend} unavailable`);
  await tf.ready();
  const model = REFERENCE_MODELS[modelIndex]!;
  const { step, dispose } = model.build(tf);
  await step();
  await step();
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    let steps = 0;
    const started = performance.now();
    while (performance.now() - started < 1000 || steps === 0) {
      await step();
      steps++;
    }
    rates.push((steps * model.batch) / ((performance.now() - started) / 1000));
  }
  dispose();
  return median(rates);
}

if (values.child) {
  try {
    process.stdout.write(String(await measure(values.child, Number(values.model), Number(values.runs))));
  } catch (error) {
    process.stdout.write(`error: ${(error as Error).message.split('\n')[0]}`);
  }
} else {
  const child = (backend: string, model: number) =>
    execFileSync(process.execPath, [self, '--child', backend, '--model', String(model), '--runs', values.runs], { encoding: 'utf8' });
  const concurrent = (backend: string, model: number, workers: number) =>
    Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise<number>((resolve) => {
            let out = '';
            const p = spawn(process.execPath, [self, '--child', backend, '--model', String(model), '--runs', values.runs]);
            p.stdout.on('data', (d) => (out += d));
            p.on('close', () => resolve(Number(out)));
          }),
      ),
    ).then((rates) => rates.reduce((s, v) => s + v, 0));
  const backends = values.backends.split(',');
  console.log(`| model | batch | PyTorch 1 thread | ${backends.map((b) => `${b} samples/s (× PyTorch)`).join(' | ')} |`);
  console.log(`|---|---|---|${backends.map(() => '---|').join('')}`);
  for (const [i, model] of REFERENCE_MODELS.entries()) {
    const cells = backends.map((backend) => {
      const out = child(backend, i);
      const rate = Number(out);
      return Number.isFinite(rate) ? `${Math.round(rate)} (${(rate / model.pytorch1).toFixed(3)}×)` : out.replace(/\|/g, '/');
    });
    console.log(`| ${model.name} | ${model.batch} | ${model.pytorch1} | ${cells.join(' | ')} |`);
  }
  if (values.pool) {
    console.log('\n| model | wasm (autotune), 1 process | 2 processes together | speed-up |');
    console.log('|---|---|---|---|');
    for (const [i, model] of REFERENCE_MODELS.entries()) {
      const one = Number(child('wasm', i));
      const two = await concurrent('wasm', i, 2);
      console.log(`| ${model.name} | ${Math.round(one)} | ${Math.round(two)} | ${(two / one).toFixed(2)}× |`);
    }
  }
}
