import type { StudyRecord } from '../core/types.js';
import { autotuneVersion } from '../core/version.js';
import { DATA_CHECKSUMS, dataChecksums, type DataChecksums } from '../data/checksums.js';
import type { SearchConfig, StudyConfig } from '../space/schema.js';
import type { Storage } from '../storage/storage.js';

// What a study stores so that `autotune worker` can join it from a machine without its study file: the checksums
// of the dataset it trains on, the search settings of the last `autotune run` (its budget above all: a run resumed
// with `--trials 40` must not leave workers stopping at the 20 the study was created with), and the autotune version
// of that run, which workers should share.

/** The study system attribute holding the search settings the last `run` applied. */
export const SEARCH_SETTINGS = 'search_settings';

/** The study system attribute holding the autotune version of the last `run`. */
export const AUTOTUNE_VERSION = 'autotune_version';

/** Where a joining process reads the dataset when it is not at the path the study recorded (`--data`). */
export interface DataLocation {
  readonly source?: string;
  readonly test?: string;
}

/**
 * Records, for a process that owns the study file (not a worker), the dataset checksums the first time the study
 * is opened without them, and its search settings and autotune version when they differ from those stored.
 */
export async function recordJoinInputs(storage: Storage, record: StudyRecord, config: StudyConfig): Promise<void> {
  if (config.data && !record.systemAttrs[DATA_CHECKSUMS]) {
    await storage.setStudySystemAttr(record.id, DATA_CHECKSUMS, dataChecksums(config.data));
  }
  if (JSON.stringify(currentSearch(record)) !== JSON.stringify(config.search)) {
    await storage.setStudySystemAttr(record.id, SEARCH_SETTINGS, config.search);
  }
  const version = autotuneVersion();
  if (record.systemAttrs[AUTOTUNE_VERSION] !== version) await storage.setStudySystemAttr(record.id, AUTOTUNE_VERSION, version);
}

/** The autotune version of the last `run` of the study, when one recorded it. */
export function recordedVersion(record: StudyRecord): string | undefined {
  return record.systemAttrs[AUTOTUNE_VERSION] as string | undefined;
}

/** The search settings in effect: the last run's, or those the study was created with. */
export function currentSearch(record: StudyRecord): SearchConfig {
  return (record.systemAttrs[SEARCH_SETTINGS] ?? (record.config as StudyConfig).search) as SearchConfig;
}

/** The checksums the study recorded; undefined for a study created before they were recorded, or without data. */
export function recordedChecksums(record: StudyRecord): DataChecksums | undefined {
  return record.systemAttrs[DATA_CHECKSUMS] as DataChecksums | undefined;
}

/** `config` reading its dataset from `location` instead of the recorded paths; the rest of the definition as is. */
export function relocatedData(config: StudyConfig, location: DataLocation | undefined): StudyConfig {
  if (!config.data || !location) return config;
  const test = config.data.test && location.test ? { test: { source: location.test } } : {};
  return { ...config, data: { ...config.data, ...(location.source ? { source: location.source } : {}), ...test } };
}
