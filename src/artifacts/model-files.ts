import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { InputError } from '../core/errors.js';
import { registerAutotuneLayers } from '../models/attention.js';

const WEIGHTS_FILE = 'weights.bin';

/**
 * Writes a model as a standard TensorFlow.js LayersModel directory (`model.json` + one weight shard), the layout
 * `tf.loadLayersModel('…/model.json')` reads in Node and in browsers. tfjs without tfjs-node has no file:// saver,
 * so the save handler is ours. Returns the bytes written.
 */
export async function saveModelFiles(tf: typeof tfTypes, model: tfTypes.LayersModel, dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(concatenated(artifacts.weightData));
      writeFileSync(join(dir, WEIGHTS_FILE), weights);
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      };
      const text = JSON.stringify(modelJson);
      writeFileSync(join(dir, 'model.json'), text);
      bytes = weights.byteLength + Buffer.byteLength(text);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  return bytes;
}

/**
 * Loads a model directory written by {@link saveModelFiles} (or any single-directory LayersModel). A missing,
 * unreadable or truncated file is refused with an error naming it, before tfjs sees it.
 */
export async function loadModelFiles(tf: typeof tfTypes, dir: string): Promise<tfTypes.LayersModel> {
  const modelPath = join(dir, 'model.json');
  const modelJson = readJson(modelPath) as {
    modelTopology?: unknown;
    weightsManifest?: { paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }[];
  };
  if (typeof modelJson.modelTopology !== 'object' || !Array.isArray(modelJson.weightsManifest)) {
    throw new InputError(`${modelPath}: not a TensorFlow.js LayersModel (no modelTopology or weightsManifest)`, { file: modelPath });
  }
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const buffers = modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => readShard(dir, p)));
  const data = Buffer.concat(buffers);
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * bytesPerValue(s), 0);
  if (data.byteLength !== expected) {
    const files = modelJson.weightsManifest
      .flatMap((g) => g.paths)
      .map((p) => join(dir, p))
      .join(', ');
    throw new InputError(
      `${files}: ${data.byteLength} bytes of weights, but model.json describes ${expected}; the files are corrupted or do not belong together`,
      { file: files },
    );
  }
  registerAutotuneLayers(tf);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as object, weightSpecs: specs, weightData }));
  } catch (error) {
    throw new InputError(`${modelPath}: cannot be loaded as a LayersModel: ${(error as Error).message}`, { file: modelPath, cause: error });
  }
}

function concatenated(data: tfTypes.io.WeightData | undefined): ArrayBuffer {
  if (!data) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data as ArrayBuffer;
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

function bytesPerValue(spec: tfTypes.io.WeightsManifestEntry): number {
  if (spec.quantization) return spec.quantization.dtype === 'uint8' ? 1 : 2;
  return 4;
}

function readShard(dir: string, path: string): Buffer {
  // A manifest is data, not a path to follow anywhere: shards must sit in the model's own directory.
  if (path.includes('/') || path.includes('\\') || path.includes('\0') || path.startsWith('.')) {
    throw new InputError(`${join(dir, 'model.json')}: weight file "${path}" is not a plain file name in the model directory`, {
      file: join(dir, 'model.json'),
    });
  }
  const file = join(dir, path);
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`${file}: weight file missing or unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      file,
      cause: error,
    });
  }
}

/** Reads and parses a JSON file, naming it in any error. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: missing or unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      file,
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`, { file, cause: error });
  }
}
