/**
 * `npm run check:deps`: no import cycles in src/, type-only imports
 * included (tsPreCompilationDeps), since a cycle of types still ties the
 * modules' meaning together; and the rules between the parts that
 * ARCHITECTURE.md describes.
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
    {
      name: 'domain-knows-no-transport',
      severity: 'error',
      comment: 'chat/, auth/, push/ and realtime/ are reached through api/ and http/, never the other way; the domain knows nothing of tRPC.',
      from: { path: '^src/server/(chat|auth|push|realtime)/' },
      to: { path: ['^src/server/(api|http|ws)/', '^node_modules/@trpc/server/dist/adapters'] },
    },
    {
      name: 'chat-and-auth-know-no-trpc',
      severity: 'error',
      comment: 'Domain code throws AppError; api/trpc.ts turns it into a TRPCError.',
      from: { path: '^src/server/(chat|auth|push)/' },
      to: { path: '^node_modules/@trpc/' },
    },
    {
      name: 'storage-knows-no-rules',
      severity: 'error',
      comment: 'store/ and db/ keep data and its invariants; who may do what is decided before the store is called.',
      from: { path: '^src/server/(store|db)/' },
      to: { path: '^src/server/(chat|auth|realtime|api|http|ws|app)/' },
    },
    {
      name: 'only-the-store-reaches-the-database',
      severity: 'error',
      comment: 'The domain, the API and the transports ask the Store interface (store/store.ts), not Prisma or db/.',
      from: { path: '^src/server/(chat|auth|push|realtime|api|http|ws|limits|ops|lib)/' },
      to: { path: ['^src/server/db/', '^node_modules/(@prisma|better-sqlite3|pg)/'] },
    },
    {
      name: 'only-the-redis-parts-import-ioredis',
      severity: 'error',
      comment: 'One EventBus (and presence, typing store) implementation per backend; nothing else knows Redis.',
      from: { pathNot: '^src/server/realtime/(redis-|typing-store)' },
      to: { path: '^node_modules/ioredis/' },
    },
    {
      name: 'server-imports-no-client-code',
      severity: 'error',
      comment: 'Wire constants both sides use live in src/shared/.',
      from: { path: '^src/server/' },
      to: { path: '^src/(app|trpc)/' },
    },
    {
      name: 'ui-reads-only-through-trpc',
      severity: 'error',
      comment: 'The web app and the client glue take only types from the server (AppRouter, event types); data comes over tRPC.',
      from: { path: '^src/(app|trpc)/' },
      to: { path: '^src/server/', dependencyTypesNot: ['type-only'] },
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
