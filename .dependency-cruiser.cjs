/**
 * `npm run check:cycles`: no import cycles in src/, type-only imports
 * included (tsPreCompilationDeps), since a cycle of types still ties the
 * modules' meaning together.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other (possibly through others): one of them depends on the wrong thing.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/server/db/generated', '^src/server/db/generated-pg'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
