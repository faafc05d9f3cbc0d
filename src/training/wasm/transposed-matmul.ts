import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { runWasmKernel, type WasmBackend } from './backend-access.js';

/**
 * Wraps a wasm matmul kernel so that transposed operands are transposed explicitly (by the native Transpose
 * kernel) first: the wasm backend sends any matmul with transposeA or transposeB to a naive loop instead of
 * XNNPACK — measured here at 2.3 against 26 GFLOP/s for 512×512 — and backpropagation through every dense layer
 * asks for exactly those (dx = dy·Wᵀ, dW = xᵀ·dy). The transpose costs O(n²) against the product's O(n³).
 */
export function withExplicitTransposes(kernelName: 'BatchMatMul' | '_FusedMatMul'): KernelConfig | null {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original) return null;
  const kernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: Record<string, unknown> }) => {
    const { transposeA, transposeB } = args.attrs;
    if (!transposeA && !transposeB) return original.kernelFunc(args as never);
    const backend = args.backend as WasmBackend;
    const made: TensorInfo[] = [];
    const swapLast = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const t = runWasmKernel('Transpose', backend, { x }, { perm: [...Array(rank - 2).keys(), rank - 1, rank - 2] });
      made.push(t);
      return t;
    };
    const inputs = { ...args.inputs };
    if (transposeA) inputs.a = swapLast(inputs.a as TensorInfo);
    if (transposeB) inputs.b = swapLast(inputs.b as TensorInfo);
    try {
      return original.kernelFunc({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } } as never);
    } finally {
      for (const t of made) backend.disposeData(t.dataId);
    }
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelConfig['kernelFunc'] };
}
