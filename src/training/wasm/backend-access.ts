import type { TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';

/**
 * The slice of the wasm backend's (untyped in its public API) interface our kernels use. Views returned by
 * `typedArrayFromHeap` are invalidated when the wasm memory grows, so kernels allocate their outputs first and
 * take views afterwards.
 */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId): boolean;
}

/** Runs another wasm kernel from inside ours (e.g. XNNPACK's matmul), with the same backend. */
export function runWasmKernel(name: string, backend: WasmBackend, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, backend: backend as never, attrs: attrs as never }) as TensorInfo;
}

/** A reshaped view sharing the data (the wasm Reshape kernel only adds a reference). */
export function reshapeInfo(backend: WasmBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return runWasmKernel('Reshape', backend, { x }, { shape });
}
