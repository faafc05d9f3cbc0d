import type { Direction } from '../core/types.js';
import type { Ensemble } from '../ensemble/types.js';

/** The export format this version writes; it reads this and every earlier one. */
export const EXPORT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'autotune.json';

/** One model of an export: a LayersModel directory and the preprocessing that feeds it. */
export interface ManifestMember {
  readonly trial: number;
  readonly weight: number;
  /** Directory of `model.json`, `weights.bin` and `preprocessing.json`, relative to the export. */
  readonly path: string;
  readonly architecture: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, number>>;
}

/** `autotune.json`: everything needed to turn raw rows into predictions with the exported models. */
export interface Manifest {
  readonly format: 'autotune-export';
  readonly version: number;
  readonly createdAt: string;
  readonly study: { readonly name: string; readonly metric: string; readonly direction: Direction };
  /** What was exported: the best single trial or the study's ensemble (absent in exports written before it was recorded). */
  readonly selection?: 'best' | 'ensemble';
  readonly task: 'classification' | 'regression';
  readonly labels: readonly string[];
  /** What a raw row must hold (the preprocessing details live beside each member's model). */
  readonly input: { readonly kind: string; readonly columns: readonly string[] };
  readonly members: readonly ManifestMember[];
  /** How member outputs combine: a weighted average, a vote or a stacked meta-model (ids are trial numbers). */
  readonly combination: Ensemble;
  /** Test-split score of what was exported, and of the best single trial, by the study's metric. */
  readonly scores: { readonly validation: number | null; readonly test: number | null; readonly bestSingleTest: number | null };
  readonly quantization: 'none' | 'float16' | 'uint8';
  readonly training: { readonly backend: string | null; readonly versions: Readonly<Record<string, string>> };
  /** sha256 of every file the loader reads, relative path → hex: a changed file is refused, never executed. */
  readonly checksums: Readonly<Record<string, string>>;
}
