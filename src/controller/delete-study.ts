import { removeArtifactFolders, studyArtifactFolders } from '../artifacts/study-files.js';
import type { StudyRecord } from '../core/types.js';
import { searchSchema } from '../space/schema.js';
import { trialChangedAt, type Storage } from '../storage/storage.js';

/** What a delete did: removed the study, or left it because trials still run. */
export type DeleteOutcome = { readonly deleted: true } | { readonly deleted: false; readonly runningTrials: number };

/**
 * Deletes a study with its trials and its artifact folders, unless any of its trials is still running — whatever
 * the study's state, since a stop flips the state at once while running trials take their grace to finish. Trials
 * of a process that died (no heartbeat for `search.staleAfterSeconds`) do not count: they would block it for ever.
 *
 * @example const outcome = await deleteStudy(storage, await storage.findStudy('wine-mlp'));
 */
export async function deleteStudy(storage: Storage, study: StudyRecord): Promise<DeleteOutcome> {
  // Through the schema, so a study stored without the setting gets its default.
  const search = searchSchema.safeParse((study.config as { search?: unknown }).search ?? {});
  const since = Date.now() - (search.success ? search.data : searchSchema.parse({})).staleAfterSeconds * 1000;
  const running = (await storage.listTrials(study.id, { states: ['running'] })).filter((t) => trialChangedAt(t) > since);
  if (running.length > 0) return { deleted: false, runningTrials: running.length };
  const folders = await studyArtifactFolders(storage, study);
  await storage.deleteStudy(study.id);
  removeArtifactFolders(folders);
  return { deleted: true };
}
