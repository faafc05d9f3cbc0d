import type { Manifest } from './manifest.js';

/**
 * What an export holds, in words: `the best single trial (trial 7)` or `a greedy ensemble of 3 models`. A single
 * trial is stored as an average of one model for the predictor; it is never called an average here.
 */
export function describeExport(manifest: Manifest): string {
  const single = manifest.selection
    ? manifest.selection === 'best'
    : manifest.combination.method === 'average' && manifest.members.length === 1;
  return single
    ? `the best single trial (trial ${manifest.members[0]?.trial})`
    : `a ${manifest.combination.method} ensemble of ${manifest.members.length} models`;
}

/** The README written into an export, for whoever receives the directory. */
export function exportReadme(manifest: Manifest): string {
  const members = manifest.members
    .map((m) => `| trial ${m.trial} | ${m.architecture} | ${m.weight.toFixed(3)} | \`${m.path}/model.json\` |`)
    .join('\n');
  const score = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  return `# ${manifest.study.name}: exported by autotune

A ${manifest.task} model (${describeExport(manifest)}) trained on ${manifest.input.kind} input.
Objective: ${manifest.study.metric} (${manifest.study.direction}); validation ${score(manifest.scores.validation)}, test ${score(manifest.scores.test)} (best single trial on test: ${score(manifest.scores.bestSingleTest)}).
Weights: ${manifest.quantization === 'none' ? 'float32' : `quantized to ${manifest.quantization}`}.

| member | architecture | weight | model |
|---|---|---|---|
${members}

## Use it from Node with autotune (raw rows in, the training preprocessing applied)

\`\`\`js
import { loadModel } from 'autotune';
const model = await loadModel('.');
console.log(model.predict([${
    manifest.input.kind === 'text'
      ? "'some text'"
      : manifest.input.kind === 'tabular'
        ? `{ ${manifest.input.columns
            .slice(0, 2)
            .map((c) => `"${c}": …`)
            .join(', ')} }`
        : '[…]'
  }]));
\`\`\`

or from the command line: \`autotune predict . rows.csv --out predictions.csv\`, \`autotune serve . --port 8080\`.
${manifest.input.kind === 'series' ? seriesUsage(manifest.input.columns[0] ?? 'value') : ''}
## Use the models with stock TensorFlow.js (Node or browser)

Each member is a standard LayersModel. Models with a Transformer use custom layers: register them first.

\`\`\`js
import * as tf from '@tensorflow/tfjs';
import { registerAutotuneLayers } from './autotune-layers.js';
registerAutotuneLayers(tf);
const model = await tf.loadLayersModel('${manifest.members[0]?.path ?? 'members/…'}/model.json');
\`\`\`

The inputs such a model expects are the preprocessed features described in each member's \`preprocessing.json\`
(imputation values, encoders, scaler statistics, tokenizer vocabulary); \`autotune.json\` lists the members, their
weights, the labels (${manifest.labels.length > 0 ? manifest.labels.join(', ') : 'regression: one value'}) and a sha256 checksum of every file.
`;
}

/** How a series export reads its rows and forecasts several steps. */
function seriesUsage(column: string): string {
  return `
A row is a series: an array of its latest values (at least the model's lookback), or \`{ "${column}": [...] }\`.
\`model.forecast(rows, 12)\` forecasts 12 steps as the model was trained to: recursively, each step read as the
next input, or (\`strategy\` direct in \`preprocessing.json\`) its whole horizon at once. \`autotune predict . series.csv --horizon 12\` reads
the original series file (one value per row in column \`${column}\`, in time order) or one JSON array per row.
`;
}
