import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { reshapeInfo, runWasmKernel, type WasmBackend } from './backend-access.js';
import { convGeometry, type ConvGradientAttrs } from './conv-info.js';

/**
 * Conv2DBackpropFilter for wasm, which stock tfjs-backend-wasm 4.22 lacks (so no CNN can train on it). The
 * filter gradient is an im2col product: dW[K×C_out] = colᵀ[K×N] · dy[N×C_out], with K = fh·fw·C_in and
 * N = batch·out_h·out_w. We build colᵀ already transposed, so the product is an untransposed matmul, the only
 * kind the wasm backend hands to XNNPACK.
 */
function conv2DBackpropFilter(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as ConvGradientAttrs & { filterShape: [number, number, number, number] };
  const info = convGeometry('Conv2DBackpropFilter', attrs, x.shape as [number, number, number, number], attrs.filterShape);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const k = filterHeight * filterWidth * inChannels;
  const n = batchSize * outHeight * outWidth;

  const colT = backend.makeOutput([1, k, n], 'float32');
  const xs = backend.typedArrayFromHeap(x);
  const col = backend.typedArrayFromHeap(colT) as Float32Array;
  for (let fy = 0; fy < filterHeight; fy++) {
    for (let fx = 0; fx < filterWidth; fx++) {
      for (let c = 0; c < inChannels; c++) {
        let at = ((fy * filterWidth + fx) * inChannels + c) * n;
        for (let b = 0; b < batchSize; b++) {
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * strideHeight + fy * dilationHeight - top;
            const rowOk = iy >= 0 && iy < inHeight;
            const rowBase = (b * inHeight + iy) * inWidth;
            for (let ox = 0; ox < outWidth; ox++) {
              const ix = ox * strideWidth + fx * dilationWidth - left;
              col[at++] = rowOk && ix >= 0 && ix < inWidth ? (xs[(rowBase + ix) * inChannels + c] as number) : 0;
            }
          }
        }
      }
    }
  }
  const dy3 = reshapeInfo(backend, dy, [1, n, outChannels]);
  const product = runWasmKernel('BatchMatMul', backend, { a: colT, b: dy3 }, { transposeA: false, transposeB: false });
  const out = reshapeInfo(backend, product, [...attrs.filterShape]);
  backend.disposeData(colT.dataId);
  backend.disposeData(dy3.dataId);
  backend.disposeData(product.dataId);
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
