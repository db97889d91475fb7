import { authRouter } from './routers/auth.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
});

/** The API's type: clients import this (type only) for end-to-end types. */
export type AppRouter = typeof appRouter;
