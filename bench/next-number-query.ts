// What createNextTrial's numbering statement costs against history on PostgreSQL, with and without the trial count
// it used to read (the count went: numbers are dense, so the next number is the count). The statement runs inside
// the study's counter lock, which every writer of the study waits for, so its time is the whole study's. The history
// is not vacuumed first, as in a study being written: COUNT(*) then visits every row, not only the index.
// Run: npm run build && node dist/bench/next-number-query.js [--history 1000,10000] [--runs 200]
import pg from 'pg';
import { parseArgs } from 'node:util';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage.js';
import { load1, machineLine } from './machine.js';
import { withBenchServer, withoutCommitWait } from './postgres-server.js';

const { values } = parseArgs({ options: { history: { type: 'string', default: '1000,10000' }, runs: { type: 'string', default: '200' } } });
const histories = (values.history as string).split(',').map(Number);
const runs = Number(values.runs);

const loadAtStart = load1();
await withBenchServer(async (server) => {
  const url = await server.database();
  const storage = await PostgresStorage.open(withoutCommitWait(url));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const lines: string[] = [];
  try {
    const study = await storage.createStudy({ name: 'numbering', directions: ['minimize'], config: {} });
    const statements = {
      'MAX and COUNT(*) (before)': `SELECT COALESCE(MAX(number) + 1, 0)::int AS next, COUNT(*)::int AS count FROM trials WHERE study_id = ${study.id}`,
      'MAX alone (now)': `SELECT COALESCE(MAX(number) + 1, 0)::int AS next FROM trials WHERE study_id = ${study.id}`,
    };
    for (const history of histories) {
      while ((await storage.countTrials(study.id)) < history) {
        const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
        await storage.finishTrial(trial.id, { state: 'complete', values: [0] });
      }
      for (const [label, sql] of Object.entries(statements)) {
        await client.query(sql);
        const started = performance.now();
        for (let i = 0; i < runs; i++) await client.query(sql);
        lines.push(`| ${history.toLocaleString('en')} | ${label} | ${((performance.now() - started) / runs).toFixed(3)} ms |`);
      }
    }
  } finally {
    await client.end();
    await storage.close();
  }
  console.log(`\ncreateNextTrial's numbering statement, mean of ${runs} runs:\n\n| trials of history | statement | time |\n|---|---|---|`);
  console.log(lines.join('\n'));
  console.log(`\nServer: ${server.description}. ${machineLine(loadAtStart)}.`);
});
