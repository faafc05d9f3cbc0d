// Run by bench/training-throughput.ts before it measures: installs Debian's python3-torch, the PyTorch the
// benchmark runs beside our training, when it can. Without it the benchmark reports our side only.
import { spawnSync } from 'node:child_process';
import { ensureDebianPackage } from './ensure-debian-package.mjs';

ensureDebianPackage({
  tag: 'ensure-torch',
  pkg: 'python3-torch',
  what: "/usr/bin/python3's torch",
  present: () => spawnSync('/usr/bin/python3', ['-c', 'import torch']).status === 0,
  otherwise: 'the throughput benchmark reports our side only, with no PyTorch figures or ratios',
});
