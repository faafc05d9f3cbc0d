// Run by `npm run bench:quality` before it measures: installs Debian's python3-sklearn, the scikit-learn the quality
// benchmark runs on the very same splits as ours, when it can. Without it the benchmark stops at its first dataset.
import { spawnSync } from 'node:child_process';
import { ensureDebianPackage } from './ensure-debian-package.mjs';

ensureDebianPackage({
  tag: 'ensure-sklearn',
  pkg: 'python3-sklearn',
  what: "/usr/bin/python3's sklearn",
  present: () => spawnSync('/usr/bin/python3', ['-c', 'import sklearn']).status === 0,
  otherwise: 'the quality benchmark has no scikit-learn reference to compare with',
});
