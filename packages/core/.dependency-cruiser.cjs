// The layers of packages/core/src, from the ground up. A folder may import its own layer and the
// layers below it, never one above; no import cycle anywhere. `npm run check:layers` (run by CI).
const layers = [
  ['errors'],
  ['model'],
  ['machine'],
  ['machines'],
  ['contracts'],
  ['policy', 'bundle'],
  ['journal'],
  ['runtime'],
  ['scenarios'],
  ['deployments'],
  ['railyard'],
  ['adapters', 'testing'],
];

const rank = new Map(layers.flatMap((names, index) => names.map((name) => [name, index])));
const upward = [...rank]
  .map(([folder, level]) => {
    const above = [...rank].filter(([, other]) => other > level).map(([name]) => name);
    return {
      name: `${folder}-imports-upward`,
      severity: 'error',
      comment: `src/${folder} may import only layers at or below its own: ${layers
        .slice(0, level + 1)
        .flat()
        .join(', ')}`,
      from: { path: `^src/${folder}/` },
      to: { path: `^src/(${above.join('|')})/` },
    };
  })
  .filter((rule) => !rule.to.path.includes('()'));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle in packages/core/src: break it by moving the shared part down a layer.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unknown-folder',
      severity: 'error',
      comment: 'Every folder of src has a layer: add a new one to .dependency-cruiser.cjs.',
      from: { path: `^src/(?!(${[...rank.keys()].join('|')})/)[^/]+/` },
      to: {},
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['import', 'types', 'default'], extensions: ['.ts', '.js'] },
  },
};
