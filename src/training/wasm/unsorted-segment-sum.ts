import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackend } from './backend-access.js';

/**
 * UnsortedSegmentSum for wasm, which stock tfjs-backend-wasm 4.22 lacks (it is the gradient of Gather, so
 * embeddings cannot train without it): a scatter-add of rows of x into numSegments rows. Ids outside
 * [0, numSegments) are dropped, as TensorFlow does.
 */
function unsortedSegmentSum(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = args.attrs.numSegments as number;
  const idRank = segmentIds.shape.length;
  const innerShape = x.shape.slice(idRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const count = tf.util.sizeFromShape(segmentIds.shape);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const sums = backend.typedArrayFromHeap(out);
  sums.fill(0);
  for (let i = 0; i < count; i++) {
    const segment = ids[i] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) sums[to + j]! += xs[from + j] as number;
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelConfig['kernelFunc'],
};
