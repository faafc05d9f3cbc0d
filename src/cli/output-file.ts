import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';

/** Where a command writes its result: lines go out as they are made, and only a finished result is kept. */
export interface OutputSink {
  /** False once the reader has gone (a closed pipe): the command may stop early, successfully. */
  write(text: string): Promise<boolean>;
  /** The result is complete: keep it. */
  commit(): void;
  /** The command failed: leave nothing behind. */
  abort(): void;
}

/**
 * A file written under a temporary name beside it and renamed into place on commit, so a failed command never
 * leaves a partial or header-only file where the result should be (and never clobbers an older one half-way).
 */
export function fileSink(path: string): OutputSink {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const cannotWrite = (error: unknown) =>
    new InputError(`--out ${path}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      file: path,
    });
  let fd: number;
  try {
    fd = openSync(temporary, 'wx');
  } catch (error) {
    throw cannotWrite(error);
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    async write(text) {
      try {
        writeSync(fd, text);
      } catch (error) {
        throw cannotWrite(error);
      }
      return true;
    },
    commit() {
      close();
      try {
        renameSync(temporary, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw cannotWrite(error);
      }
    },
    abort() {
      close();
      rmSync(temporary, { force: true });
    },
  };
}

/**
 * Standard output. A reader that closes the pipe early (`| head`) ends the command quietly, as Unix tools do:
 * EPIPE turns the next write into `false` instead of an exception.
 */
export function stdoutSink(): OutputSink {
  let closed = false;
  // The failed write's callback reports the error; without a listener the stream's 'error' event would crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
  });
  return {
    write(text) {
      if (closed) return Promise.resolve(false);
      // Waiting for each chunk to be flushed keeps memory flat and lets an EPIPE arrive before the next one.
      return new Promise((resolve, reject) =>
        process.stdout.write(text, (error) => {
          if (!error) resolve(!closed);
          else if ((error as NodeJS.ErrnoException).code !== 'EPIPE') reject(error);
          else {
            closed = true;
            resolve(false);
          }
        }),
      );
    },
    commit() {},
    abort() {},
  };
}

/** Writes a whole result to `path` through {@link fileSink}: all of it, or nothing (an InputError naming `--out`). */
export async function writeOutFile(path: string, text: string): Promise<void> {
  const sink = fileSink(path);
  try {
    await sink.write(text);
    sink.commit();
  } catch (error) {
    sink.abort();
    throw error;
  }
}
