import { z } from 'zod';
import { searchUsers } from '../../auth/directory.ts';
import { userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';

export const usersRouter = router({
  search: userProcedure.input(z.object({ query: z.string().trim().max(64) })).query(({ ctx, input }) => searchUsers(ctx.services, { query: input.query })),
});
