import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './wasm/register.js';

/** A TensorFlow.js backend autotune can train on, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
/** What a study may ask for: a specific backend, or the fastest that loads. */
export type BackendPreference = 'auto' | BackendName;

// A variable specifier keeps TypeScript from requiring the optional package at build time.
const TFJS_NODE = '@tensorflow/tfjs-node';

let selection: { preference: BackendPreference; ready: Promise<BackendName> } | undefined;

/**
 * Selects the backend for this thread once: tfjs-node when it is installed and loads (it needs libtensorflow,
 * which an offline install lacks), else WebAssembly with autotune's kernel pack (see wasm/register.ts), else the
 * pure-JS cpu backend. Asking for a specific backend
 * that cannot load throws, so the trial fails with that reason rather than silently running slower.
 *
 * @example const backend = await ensureBackend('auto'); // 'wasm' on an offline machine
 */
export function ensureBackend(preference: BackendPreference): Promise<BackendName> {
  if (selection?.preference !== preference) selection = { preference, ready: select(preference) };
  return selection.ready;
}

async function select(preference: BackendPreference): Promise<BackendName> {
  // PROD skips tfjs's per-op debug checks and its "install the node backend" banner, which is not for our users.
  tf.env().set('PROD', true);
  const order: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const errors: string[] = [];
  for (const name of order) {
    try {
      if (name === 'tensorflow') await import(TFJS_NODE);
      if (name === 'wasm') registerWasmKernels();
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      errors.push(`${name}: failed to initialise`);
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no usable TensorFlow.js backend (${errors.join('; ')})`);
}

export { tf };
