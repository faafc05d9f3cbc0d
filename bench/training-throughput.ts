// Training throughput of the five reference models, ours against PyTorch measured in the same invocation: per
// model, PyTorch (bench/throughput/pytorch.py, one thread) and each of our backends take turns, --repeats times
// each, every measurement in a fresh process (kernel registrations are per process: "wasm-stock" is
// tfjs-backend-wasm as published, "wasm" adds our kernel pack). A process warms up for 2 steps and reports the
// median of --runs timed runs of ≥ 1 s; a side's figure is the median over its processes. The same is done for a
// 512×512 fp32 matmul, whose best rate is the machine's single-thread peak that each model's GFLOP/s (FLOPs per
// step by bench/throughput/flops.ts) is set against.
// Run: npm run bench:throughput, or after a build
//   node dist/bench/training-throughput.js [--runs 5] [--repeats 3] [--backends wasm,wasm-stock,cpu,tensorflow] [--pool]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { median } from '../src/maths/stats.js';
import { load1, machineLine } from './machine.js';
import { gemmFlops } from './throughput/flops.js';
import { REFERENCE_MODELS } from './throughput/models.js';
import { runPytorch, torchInstalled } from './throughput/pytorch-peer.js';
import { type Figures, throughputTable } from './throughput/report.js';

const GEMM_SIZE = 512;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    repeats: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'wasm' },
    child: { type: 'string' },
    model: { type: 'string' },
    gemm: { type: 'string' },
    pool: { type: 'boolean', default: false },
  },
});
for (const name of ['runs', 'repeats'] as const) {
  if (!/^[1-9]\d*$/.test(values[name])) {
    console.error(`training-throughput: --${name} must be a whole number ≥ 1, not "${values[name]}"`);
    process.exit(2);
  }
}
const self = fileURLToPath(import.meta.url);
const runs = Number(values.runs);

async function useBackend(backend: string): Promise<void> {
  if (backend === 'wasm') (await import('../src/training/wasm/register.js')).registerWasmKernels();
  if (backend === 'wasm-stock') await import('@tensorflow/tfjs-backend-wasm');
  if (backend === 'tensorflow') await import('@tensorflow/tfjs-node' as string);
  tf.env().set('PROD', true);
  if (!(await tf.setBackend(backend === 'wasm-stock' ? 'wasm' : backend))) throw new Error(`backend ${backend} unavailable`);
  await tf.ready();
}

/** Items per second of `work` over `runs` timed runs of at least 1 s each, after 2 warm-up calls (as pytorch.py). */
async function medianRate(work: () => Promise<void> | void, items: number): Promise<number> {
  await work();
  await work();
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const started = performance.now();
    while (performance.now() - started < 1000 || calls === 0) {
      await work();
      calls++;
    }
    rates.push((calls * items) / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

/** This process's measurement: samples/s of one model, or GFLOP/s of the GEMM. */
async function measure(backend: string): Promise<number> {
  await useBackend(backend);
  if (values.gemm) {
    const n = Number(values.gemm);
    const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
    const product = () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    };
    return ((await medianRate(product, 1)) * gemmFlops(n)) / 1e9;
  }
  const model = REFERENCE_MODELS.find((m) => m.key === values.model);
  if (!model) throw new Error(`no reference model ${values.model}`);
  const built = model.build(tf);
  const rate = await medianRate(built.step, model.batch);
  built.dispose();
  return rate;
}

if (values.child) {
  try {
    process.stdout.write(String(await measure(values.child)));
  } catch (error) {
    process.stdout.write(`error: ${(error as Error).message.split('\n')[0]}`);
  }
} else {
  const loadAtStart = load1();
  spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/ensure-torch.mjs', import.meta.url))], { stdio: 'inherit' });
  const torch = torchInstalled();
  const backends = values.backends.split(',');
  // What a measuring process of either side is asked for: a model by key, or (null) the GEMM.
  const subject = (key: string | null) => [...(key === null ? ['--gemm', String(GEMM_SIZE)] : ['--model', key]), '--runs', values.runs];
  const ours = (backend: string, key: string | null): number | string => {
    const out = execFileSync(process.execPath, [self, '--child', backend, ...subject(key)], { encoding: 'utf8' });
    return Number.isFinite(Number(out)) ? Number(out) : out;
  };
  let torchVersion = torch ? 'of unknown version' : '';
  const pytorch = (key: string | null): number | string => {
    try {
      const out = runPytorch(subject(key));
      torchVersion = String(out.torch);
      return Number(key === null ? out.gflops : out.samplesPerSecond);
    } catch (error) {
      return `error: ${(error as Error).message}`;
    }
  };
  // Every side of one subject in turn, --repeats rounds, so that the machine's load drifts over all sides alike.
  const interleaved = (key: string | null): Figures => {
    const figures: Figures = { pytorch: [], ours: new Map(backends.map((b) => [b, []])) };
    for (let r = 0; r < Number(values.repeats); r++) {
      if (torch) figures.pytorch.push(pytorch(key));
      for (const backend of backends) figures.ours.get(backend)!.push(ours(backend, key));
    }
    return figures;
  };

  await useBackend('cpu'); // to read each model's parameters and FLOPs: building trains nothing
  const facts = REFERENCE_MODELS.map((model) => {
    const { parameters, flopsPerStep, dispose } = model.build(tf);
    dispose();
    return { model, parameters, flopsPerStep };
  });
  const gemm = interleaved(null);
  const rows = facts.map((fact) => ({ ...fact, figures: interleaved(fact.model.key) }));
  console.log(throughputTable({ backends, gemm, gemmSize: GEMM_SIZE, rows, torchVersion, runs, repeats: Number(values.repeats) }));

  if (values.pool) {
    const concurrent = (key: string, workers: number) =>
      Promise.all(
        Array.from(
          { length: workers },
          () =>
            new Promise<number>((resolve) => {
              let out = '';
              const p = spawn(process.execPath, [self, '--child', 'wasm', ...subject(key)]);
              p.stdout.on('data', (d) => (out += d));
              p.on('close', () => resolve(Number(out)));
            }),
        ),
      ).then((rates) => rates.reduce((s, v) => s + v, 0));
    console.log('\n| model | wasm (autotune), 1 process | 2 processes together | speed-up |');
    console.log('|---|---|---|---|');
    for (const model of REFERENCE_MODELS) {
      const one = Number(ours('wasm', model.key));
      const two = await concurrent(model.key, 2);
      console.log(`| ${model.name} | ${Math.round(one)} | ${Math.round(two)} | ${(two / one).toFixed(2)}× |`);
    }
  }
  console.log(`\n${machineLine(loadAtStart)}`);
}
