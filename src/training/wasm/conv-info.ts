import * as tf from '@tensorflow/tfjs';

type Shape4 = [number, number, number, number];

/** The attributes both convolution-gradient kernels receive. */
export interface ConvGradientAttrs {
  readonly strides: [number, number] | number;
  readonly pad: 'valid' | 'same' | number;
  readonly dataFormat: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Geometry of a 2-D convolution as tfjs computes it (output size, padding), for our gradient kernels, which
 * support the channelsLast layout that tfjs-layers uses.
 */
export function convGeometry(
  kernelName: string,
  attrs: ConvGradientAttrs,
  inputShape: Shape4,
  filterShape: Shape4,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernelName} on wasm supports channelsLast (NHWC) only`);
  return tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
