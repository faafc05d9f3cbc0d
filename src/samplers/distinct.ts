import type { Distribution, FlatParams, TrialRecord } from '../core/types.js';
import { allNodes, type CompiledSpace } from '../space/compile.js';
import { resolvedValue } from '../space/resolution.js';
import { RandomSampler } from './random.js';
import type { SampleContext, Sampler } from './sampler.js';

/** Fresh suggestions asked of the sampler, each from its own fork of the trial's stream, after a duplicate. */
export const MAX_RESAMPLES = 8;
/** Uniform draws tried after that; when none is new either, the space is taken as exhausted. */
export const MAX_RANDOM_DRAWS = 32;

/** A suggestion and how many candidates were turned away because an earlier trial already had them. */
export interface DistinctSuggestion {
  readonly params: FlatParams | null;
  readonly duplicates: number;
}

const RANDOM = new RandomSampler();
// Records are immutable and asked about on every suggestion: each one's key is computed once.
const keyCache = new WeakMap<TrialRecord, { readonly signature: string; readonly paths: readonly string[]; readonly key: string }>();

/**
 * The sampler's suggestion, unless an earlier trial (finished or running, in any state) has the same
 * configuration at the resolution of {@link resolvedValue}: then the sampler is asked again from fresh forks of
 * the trial's stream (a model-based sampler's next-best proposal), then uniform draws are tried, and null comes
 * back when nothing new turned up (the space is exhausted, as a grid's is). A first suggestion that is new is
 * returned untouched, so studies without repeats sample exactly as before. A space of constants only is exempt:
 * its trials can only repeat, so asking for several is asking for repeats (seeds differ).
 *
 * @example const { params, duplicates } = suggestDistinct(new TpeSampler(space), ctx);
 */
export function suggestDistinct(sampler: Sampler, ctx: SampleContext): DistinctSuggestion {
  const first = sampler.suggest(ctx);
  // With nothing to choose (every parameter a constant), repeating the one configuration is what was asked for.
  if (first === null || sampler.distinct || !hasChoice(ctx.space)) return { params: first, duplicates: 0 };
  const seen = new SeenConfigurations(ctx.space, ctx.trials);
  if (!seen.has(first)) return { params: first, duplicates: 0 };
  let duplicates = 1;
  let previous = seen.keyOf(first, Object.keys(first));
  for (let attempt = 1; attempt <= MAX_RESAMPLES; attempt++) {
    const candidate = sampler.suggest({ ...ctx, rng: ctx.rng.fork('resample', attempt) });
    if (candidate === null) break;
    if (!seen.has(candidate)) return { params: candidate, duplicates };
    duplicates++;
    const key = seen.keyOf(candidate, Object.keys(candidate));
    // A sampler that ignores the stream here (quasi-random points, a start-up design) only repeats itself.
    if (key === previous) break;
    previous = key;
  }
  for (let draw = 0; draw < MAX_RANDOM_DRAWS; draw++) {
    const candidate = RANDOM.suggest({ ...ctx, rng: ctx.rng.fork('resample-random', draw) });
    if (!seen.has(candidate)) return { params: candidate, duplicates };
    duplicates++;
  }
  return { params: null, duplicates };
}

function hasChoice(space: CompiledSpace): boolean {
  return allNodes(space).some((node) => node.distribution.kind !== 'const');
}

/**
 * The configurations of earlier trials, grouped by the parameters each trial has. A candidate matches a trial
 * when it agrees on every parameter that trial has, so a parameter left out of a trial (inactive for its model
 * family) cannot make two runs of the same model look different.
 */
class SeenConfigurations {
  private readonly distributions: ReadonlyMap<string, Distribution>;
  private readonly groups = new Map<string, { readonly paths: readonly string[]; readonly keys: Set<string> }>();

  constructor(space: CompiledSpace, trials: readonly TrialRecord[]) {
    this.distributions = new Map(allNodes(space).map((node) => [node.path, node.distribution]));
    for (const trial of trials) {
      let cached = keyCache.get(trial);
      if (!cached) {
        const paths = Object.keys(trial.params).sort();
        cached = { signature: paths.join('\n'), paths, key: this.keyOf(trial.params, paths, trial.distributions) };
        keyCache.set(trial, cached);
      }
      let group = this.groups.get(cached.signature);
      if (!group) this.groups.set(cached.signature, (group = { paths: cached.paths, keys: new Set() }));
      group.keys.add(cached.key);
    }
  }

  has(candidate: FlatParams): boolean {
    for (const { paths, keys } of this.groups.values()) {
      if (paths.every((path) => candidate[path] !== undefined) && keys.has(this.keyOf(candidate, paths))) return true;
    }
    return false;
  }

  keyOf(params: FlatParams, paths: readonly string[], own: Readonly<Record<string, Distribution>> = {}): string {
    return JSON.stringify(
      paths.map((path) => resolvedValue(this.distributions.get(path) ?? own[path], params[path] as FlatParams[string])),
    );
  }
}
