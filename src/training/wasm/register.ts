import * as tf from '@tensorflow/tfjs';
// The stock wasm kernels must be registered before we wrap some of them.
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { withExplicitTransposes } from './transposed-matmul.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

let registered = false;

/**
 * autotune's kernel pack for the wasm backend: the kernels stock tfjs-backend-wasm 4.22 lacks for training
 * (Conv2DBackpropFilter, UnsortedSegmentSum), a faster Conv2DBackpropInput, and transposed matmuls rerouted onto
 * XNNPACK. Idempotent; registered per
 * thread (kernel registries are per thread), before or after the backend initialises.
 *
 * @example registerWasmKernels(); await tf.setBackend('wasm');
 */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [conv2DBackpropFilterConfig, unsortedSegmentSumConfig]) {
    if (!tf.getKernel(config.kernelName, 'wasm')) tf.registerKernel(config);
  }
  // Replaces a stock kernel that exists but runs a direct loop (see conv2d-backprop-input.ts).
  tf.unregisterKernel(conv2DBackpropInputConfig.kernelName, 'wasm');
  tf.registerKernel(conv2DBackpropInputConfig);
  for (const name of ['BatchMatMul', '_FusedMatMul'] as const) {
    const wrapped = withExplicitTransposes(name);
    if (!wrapped) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(wrapped);
  }
}
