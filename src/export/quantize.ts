import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Quantization = 'none' | 'float16' | 'uint8';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8' | 'float16'; scale?: number; min?: number; original_dtype?: string };
}

/**
 * Rewrites a LayersModel directory's float32 weights in the quantized layouts stock `tf.loadLayersModel`
 * decodes: float16 halves the size, uint8 (affine, per weight: value = min + q·scale) quarters it.
 */
export function quantizeModelDir(dir: string, kind: Exclude<Quantization, 'none'>): void {
  const modelPath = join(dir, 'model.json');
  const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { weightsManifest: { paths: string[]; weights: WeightSpec[] }[] };
  const group = model.weightsManifest[0]!;
  const source = readFileSync(join(dir, group.paths[0]!));
  const floats = new Float32Array(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength));
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const spec of group.weights) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = floats.subarray(at, at + size);
    at += size;
    if (spec.dtype !== 'float32') {
      parts.push(new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
      continue;
    }
    if (kind === 'float16') {
      parts.push(new Uint8Array(Uint16Array.from(values, toHalf).buffer));
      spec.quantization = { dtype: 'float16', original_dtype: 'float32' };
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const scale = max > min ? (max - min) / 255 : 1;
      parts.push(Uint8Array.from(values, (v) => Math.round((v - min) / scale)));
      spec.quantization = { dtype: 'uint8', scale, min, original_dtype: 'float32' };
    }
  }
  writeFileSync(join(dir, group.paths[0]!), Buffer.concat(parts));
  writeFileSync(modelPath, JSON.stringify(model));
}

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 binary16 bits of a float32, rounding to nearest even (subnormals kept, overflow → ∞). */
function toHalf(value: number): number {
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (((bits >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const m = (mantissa | 0x800000) >>> (1 - exponent);
    return sign | ((m + 0xfff + ((m >>> 13) & 1)) >>> 13);
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) return exponent + 1 >= 0x1f ? sign | 0x7c00 : sign | ((exponent + 1) << 10);
  return sign | (exponent << 10) | (rounded >>> 13);
}
