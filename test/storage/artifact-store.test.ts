import pg from 'pg';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trialArtifactDir } from '../../src/artifacts/layout.js';
import { DatabaseArtifactStore } from '../../src/artifacts/database-store.js';
import { FilesystemArtifactStore } from '../../src/artifacts/filesystem-store.js';
import type { ArtifactStore } from '../../src/artifacts/store.js';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import type { TrialRecord } from '../../src/core/types.js';
import { MemoryStorage } from '../../src/storage/memory.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { useTempDir } from '../helpers/tmp.js';

const database = usePostgresDatabases();
const tmp = useTempDir();

/** A trial directory as a worker leaves it, seeded: one file over a chunk (1 MiB) so the database splits it. */
function writeTrialDir(dir: string, seed: number): Record<string, Buffer> {
  const rng = new Rng(seed);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => rng.int(0, 255)));
  const files = {
    'model.json': Buffer.from(JSON.stringify({ format: 'layers-model', seed })),
    'weights.bin': Buffer.concat([bytes(1000), Buffer.alloc(1024 * 1024 + 17, 7), bytes(1000)]),
    'test.f32': bytes(64),
    'empty.f32': Buffer.alloc(0),
  };
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return files;
}

/** The names of the files in `dir` whose bytes differ from `files` (Buffer.equals: deep equality of megabytes is slow). */
function differing(dir: string, files: Record<string, Buffer>): string[] {
  return Object.entries(files)
    .filter(([name, data]) => !readFileSync(join(dir, name)).equals(data))
    .map(([name]) => name);
}

interface Fixture {
  readonly storage: Storage;
  /** Where the worker writes the trial's files. */
  readonly workDir: string;
  readonly writer: ArtifactStore;
  /** The store as another machine sees it: no access to the writer's disk (its own cache, for the database). */
  readonly reader: ArtifactStore;
  readonly trial: TrialRecord;
  /** Flips a byte of `file` where the store keeps it. */
  corrupt(file: string): Promise<void>;
}

async function trialIn(storage: Storage): Promise<TrialRecord> {
  const study = await storage.createStudy({ name: 'store', directions: ['maximize'], config: {} });
  return storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 1 });
}

const backends: Record<string, () => Promise<Fixture>> = {
  filesystem: async () => {
    const storage = new MemoryStorage();
    const trial = await trialIn(storage);
    const workDir = trialArtifactDir(join(tmp(), 'share'), 'store', trial.number);
    const store = new FilesystemArtifactStore(join(tmp(), 'share'));
    return {
      storage,
      workDir,
      writer: store,
      reader: store,
      trial,
      corrupt: async (file) => {
        const path = join(workDir, file);
        const data = readFileSync(path);
        const last = data.byteLength - 1;
        data.writeUInt8(data.readUInt8(last) ^ 1, last);
        writeFileSync(path, data);
      },
    };
  },
  database: async () => {
    const url = await database();
    const storage = await PostgresStorage.open(url);
    const trial = await trialIn(storage);
    const workDir = trialArtifactDir(join(tmp(), 'machine-a'), 'store', trial.number);
    return {
      storage,
      workDir,
      writer: new DatabaseArtifactStore(storage, storage.files, join(tmp(), 'machine-a')),
      reader: new DatabaseArtifactStore(storage, storage.files, join(tmp(), 'machine-b')),
      trial,
      corrupt: async (file) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        // The last chunk's last byte: the sha256 recorded at upload no longer matches what the database returns.
        await client.query(
          `UPDATE trial_file_chunks SET data = overlay(data placing decode('ff', 'hex') from length(data))
           WHERE trial_id = $1 AND name = $2 AND chunk = (SELECT max(chunk) FROM trial_file_chunks WHERE trial_id = $1 AND name = $2)`,
          [trial.id, file],
        );
        await client.end();
      },
    };
  },
};

describe.each(Object.keys(backends))('%s artifact store', (backend) => {
  const open = backends[backend] as () => Promise<Fixture>;

  it('returns every file as put, byte for byte, where the reader can open it', async () => {
    const f = await open();
    try {
      const files = writeTrialDir(f.workDir, 7);
      const stored = await f.writer.put(f.trial, f.workDir);
      expect(stored.bytes).toBe(Object.values(files).reduce((sum, b) => sum + b.byteLength, 0));
      const dir = await f.reader.localDir(f.trial, stored.uri);
      expect(dir).not.toBeNull();
      expect(differing(dir!, files)).toEqual([]);
      // Read again from the same place: the copy already there is used.
      expect(await f.reader.localDir(f.trial, stored.uri)).toBe(dir);
      if (backend === 'database') {
        expect(stored.uri).toBe(`db:trial/${f.trial.id}`);
        expect(dir).toBe(trialArtifactDir(join(tmp(), 'machine-b'), 'store', f.trial.number));
      }
    } finally {
      await f.storage.close();
    }
  });

  it('refuses a file whose bytes no longer match their sha256, naming the trial and the file', async () => {
    const f = await open();
    try {
      writeTrialDir(f.workDir, 8);
      const stored = await f.writer.put(f.trial, f.workDir);
      await f.corrupt('weights.bin');
      const read = f.reader.localDir(f.trial, stored.uri);
      await expect(read).rejects.toBeInstanceOf(InputError);
      await expect(read).rejects.toThrow(
        new RegExp(`^trial ${f.trial.number}: artifact file \\S*weights\\.bin.* does not match its sha256 .*refusing`),
      );
    } finally {
      await f.storage.close();
    }
  });

  it('deletes the files: the trial then has none, and a read says so', async () => {
    const f = await open();
    try {
      writeTrialDir(f.workDir, 9);
      const stored = await f.writer.put(f.trial, f.workDir);
      const dir = await f.reader.localDir(f.trial, stored.uri);
      await f.writer.remove(f.trial, f.workDir);
      expect(existsSync(f.workDir)).toBe(false);
      expect(await f.reader.localDir(f.trial, stored.uri)).toBeNull();
      if (backend === 'database') {
        expect(dir).not.toBeNull();
        expect(await (f.storage as PostgresStorage).files.listFiles(f.trial.id)).toEqual([]);
      }
    } finally {
      await f.storage.close();
    }
  });
});

describe('database artifact store', () => {
  it("deletes a study's files with the study", async () => {
    const storage = await PostgresStorage.open(await database());
    try {
      const trial = await trialIn(storage);
      const dir = join(tmp(), 'work');
      writeTrialDir(dir, 10);
      await new DatabaseArtifactStore(storage, storage.files, tmp()).put(trial, dir);
      expect((await storage.files.listFiles(trial.id)).map((f) => f.name)).toEqual(['empty.f32', 'model.json', 'test.f32', 'weights.bin']);
      await storage.deleteStudy(trial.studyId);
      expect(await storage.files.listFiles(trial.id)).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
