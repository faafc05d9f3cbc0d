import { createRequire } from 'node:module';

/** This autotune's package version, or `unknown` when its package.json cannot be found. */
export function autotuneVersion(): string {
  const require = createRequire(import.meta.url);
  // Two levels up from src/core/ (the TypeScript sources, in tests), three from dist/src/core/.
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'autotune' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not this one: try the next.
    }
  }
  return 'unknown';
}
