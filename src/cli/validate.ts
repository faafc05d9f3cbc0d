import type { Distribution } from '../core/types.js';
import { validateStudy } from '../api/validate-study.js';
import { allNodes, compileSpace } from '../space/compile.js';
import type { StudyConfig } from '../space/schema.js';
import { largestModel } from '../training/largest-model.js';
import { formatParams, formatValue } from './format.js';

/**
 * `autotune validate <study.json>`: the checks `run` makes before it writes anything ({@link validateStudy}), plus
 * estimating the largest model in the space. Opens no storage and writes nothing; a problem is an InputError (exit 2).
 */
export async function validateCommand(file: string): Promise<void> {
  const { config, table, testTable } = validateStudy(file);
  console.log(`${file}: valid study "${config.name}"`);
  if (config.data && table) {
    console.log(
      `data: ${config.data.source}: ${table.rows.length} rows, ${table.columns.length} columns; target "${config.data.target}" (${config.data.task}, ${config.data.input.kind} input)`,
    );
  }
  console.log(
    `objective: ${config.objective.metric} (${config.objective.direction}); ${kind(config.search.sampler)} sampler, ${kind(config.search.scheduler)} scheduler; ${config.search.trials} trials, ${config.search.parallelism} at a time`,
  );
  printSpace(config);
  if (!config.data || !table) {
    console.log('models: none trained (the objective is a function)');
    return;
  }
  const largest = largestModel({ ...config, data: config.data }, table, testTable);
  const limit = config.training.maxParameters;
  if (!largest) {
    console.log('! no configuration of the space builds a model for this input: every trial would fail');
    return;
  }
  console.log(
    `largest model: ${largest.parameters.toLocaleString('en-US')} parameters (training.maxParameters ${limit.toLocaleString('en-US')}): ${formatParams(largest.params)}`,
  );
  if (largest.parameters > limit) console.log(`! over training.maxParameters: trials that draw a model this large fail with that reason`);
}

function printSpace(config: StudyConfig): void {
  const nodes = allNodes(compileSpace(config.space));
  console.log(`space: ${nodes.length} parameters`);
  const width = Math.max(...nodes.map((n) => n.name.length + 2 * n.depth));
  for (const node of nodes)
    console.log(
      `  ${`${'  '.repeat(node.depth)}${node.name}`.padEnd(width)}  ${describe(node.distribution)}${node.depth > 0 ? `  (${node.path})` : ''}`,
    );
}

/** A distribution as the study file wrote it: `float [0.0001, 0.01] log`, `choice adam | sgd`. */
function describe(d: Distribution): string {
  switch (d.kind) {
    case 'const':
      return `const ${String(d.value)}`;
    case 'categorical':
      return `choice ${d.choices.map(String).join(' | ')}`;
    case 'int':
    case 'float':
      return `${d.kind} [${formatValue(d.low)}, ${formatValue(d.high)}]${d.log ? ' log' : ''}${d.step !== undefined && !(d.kind === 'int' && d.step === 1) ? ` step ${formatValue(d.step)}` : ''}`;
  }
}

function kind(setting: string | { type: string }): string {
  return typeof setting === 'string' ? setting : setting.type;
}
