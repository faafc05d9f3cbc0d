// The import rules `npm test` checks (`npm run deps`): no cycles, every import points down the layers of README's
// "Layout", and shipped code never reaches into tests or benchmarks. Type-only imports count too: a type from an
// upper layer ties the lower one to it just as a value does.

// Lowest first. A folder may import its own layer and the ones before it; samplers and schedulers share a layer and
// never import each other (they meet only in the controller).
const LAYERS = [
  ['core'],
  ['maths'],
  ['space'],
  ['data'],
  ['models'],
  ['samplers', 'schedulers'],
  ['storage'],
  ['artifacts'],
  ['training'],
  ['ensemble'],
  ['export'],
  ['controller'],
  ['api'],
  ['server'],
  ['cli'],
];

const folders = (names) => `^src/(${names.join('|')})/`;

// Above every layer sits the package entry, src/index.ts, which re-exports the public API.
const PACKAGE_ENTRY = '^src/index\\.ts$';

const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return {
    name: `layer-${layer.join('-')}`,
    comment: `${layer.join(' and ')} may only import its own layer and those below it (README, Layout)`,
    severity: 'error',
    from: { path: folders(layer) },
    to: { path: above.length > 0 ? [folders(above), PACKAGE_ENTRY] : PACKAGE_ENTRY },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle: move the piece both sides need into a module of its own',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'samplers-schedulers-apart',
      comment: 'samplers and schedulers never import each other; they meet only in src/controller',
      severity: 'error',
      from: { path: '^src/(samplers|schedulers)/' },
      to: { path: '^src/(samplers|schedulers)/', pathNot: '^src/$1/' },
    },
    {
      name: 'shipped-code-not-on-tests',
      comment: 'src/ and workers/ ship in the package: they must not import tests, benchmarks or scripts',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'only-entries-import-workers',
      comment: 'worker entries are loaded by file name (piscina), never imported',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^workers/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
  },
};
