/**
 * Every error autotune throws extends {@link AutotuneError} and carries a stable `code`, so callers can branch on
 * `err.code` instead of parsing messages.
 *
 * @example
 * try { await autotune('study.json'); } catch (e) { if (e instanceof InputError) process.exit(2); }
 */
export class AutotuneError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad user input (a study file, an option, a dataset column). Nothing has been written when this is thrown. */
export class InputError extends AutotuneError {
  /** The file the input came from, when there is one. */
  readonly file: string | undefined;
  /** Each problem as `path: message`, e.g. `space.model.choice.cnn.filters: expected array`. */
  readonly issues: readonly string[];
  constructor(message: string, options: { file?: string; issues?: readonly string[]; cause?: unknown } = {}) {
    super('E_INPUT', message, { cause: options.cause });
    this.file = options.file;
    this.issues = options.issues ?? [];
  }
}

/** One trial failed (thrown error, NaN loss, timeout, dead worker). The study records it and keeps searching. */
export class TrialFailedError extends AutotuneError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_TRIAL_FAILED', message, options);
  }
}

/** The study itself cannot go on (too many consecutive failures, storage unusable). */
export class StudyFailedError extends AutotuneError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_STUDY_FAILED', message, options);
  }
}

/** A storage operation broke a rule of the storage contract (e.g. changing a finished trial). */
export class StorageError extends AutotuneError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_STORAGE', message, options);
  }
}

/** Turns anything thrown into a one-line reason fit for a trial record. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
