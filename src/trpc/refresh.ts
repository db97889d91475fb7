import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * `invalidateQueries`, made safe for invalidations driven by live events.
 * TanStack Query folds an invalidation that arrives during a query's *first*
 * fetch into that fetch, and its answer may have been read before the event
 * happened (a "seen by" missing the read that the receipt event announced).
 * So when a first fetch was under way, ask again once it is done.
 */
export async function refresh(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  const firstFetchUnderWay = queryClient
    .getQueryCache()
    .findAll({ queryKey })
    .some((query) => query.state.fetchStatus === 'fetching' && query.state.data === undefined);
  await queryClient.invalidateQueries({ queryKey });
  if (firstFetchUnderWay) await queryClient.invalidateQueries({ queryKey });
}
