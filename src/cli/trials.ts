import type { TrialState } from '../core/types.js';
import { trialsCsv, trialsJson, trialsTable } from '../storage/trials-table.js';
import { openExisting, requireStudy } from './inspect.js';
import { writeOutFile } from './output-file.js';

interface TrialsFlags {
  storage: string;
  format: 'csv' | 'json';
  out?: string;
  state?: readonly TrialState[];
}

/** `autotune trials <study> [--format csv|json] [--state …] [--out FILE]`: every trial as one table (see trials-table). */
export async function trialsCommand(name: string, flags: TrialsFlags): Promise<void> {
  const storage = await openExisting(flags.storage);
  let text: string;
  try {
    const study = await requireStudy(storage, name);
    const trials = await storage.listTrials(study.id, flags.state ? { states: flags.state } : {});
    const table = trialsTable(study, trials);
    text = flags.format === 'json' ? trialsJson(table) : trialsCsv(table);
  } finally {
    await storage.close();
  }
  if (!flags.out) {
    process.stdout.write(text);
    return;
  }
  await writeOutFile(flags.out, text);
}
