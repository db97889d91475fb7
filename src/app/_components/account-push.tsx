'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { ErrorNote } from './error-note.tsx';
import { currentSubscription, pushSupport, subscribeThisBrowser, unsubscribeThisBrowser } from './push-device.ts';

/**
 * Web Push for this browser: enable (the service worker, the browser's
 * subscription, handed to push.subscribe), disable, and whether pushes show
 * message text (an account setting, for every device).
 */
export function AccountPush() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const support = pushSupport();
  // undefined: not known yet; null: this browser has no subscription.
  const [endpoint, setEndpoint] = useState<string | null | undefined>(support === 'supported' ? undefined : null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Set in the click's own handler: the mutation's pending state reaches React a tick later, and a
  // controlled checkbox would spring back in between.
  const [chosenPreview, setChosenPreview] = useState<boolean | null>(null);
  const settings = useQuery(trpc.push.settings.queryOptions(endpoint ? { endpoint } : undefined, { enabled: endpoint !== undefined }));
  const subscribe = useMutation(trpc.push.subscribe.mutationOptions());
  const unsubscribe = useMutation(trpc.push.unsubscribe.mutationOptions());
  const preview = useMutation(trpc.push.setPreview.mutationOptions());
  const choosePreview = (next: boolean) => {
    setChosenPreview(next);
    preview.mutate(
      { preview: next },
      {
        // Shown as chosen until the settings are read again (on a refusal too, which then shows the old one).
        onSettled: async () => {
          await queryClient.invalidateQueries({ queryKey: trpc.push.settings.queryKey() });
          setChosenPreview(null);
        },
      },
    );
  };

  const refresh = useCallback(() => currentSubscription().then((subscription) => setEndpoint(subscription?.endpoint ?? null)), []);
  useEffect(() => {
    if (support === 'supported') void refresh();
  }, [support, refresh]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof Error && error.name !== 'TRPCClientError' ? browserProblem(error) : null);
    } finally {
      setBusy(false);
      await refresh();
      await queryClient.invalidateQueries({ queryKey: trpc.push.settings.queryKey() });
    }
  };
  const enable = () =>
    act(async () => {
      const publicKey = settings.data?.publicKey ?? (await queryClient.fetchQuery(trpc.push.publicKey.queryOptions())).publicKey;
      const subscription = await subscribeThisBrowser(publicKey);
      await subscribe.mutateAsync(subscription);
    });
  const disable = () =>
    act(async () => {
      const gone = await unsubscribeThisBrowser();
      if (gone) await unsubscribe.mutateAsync({ endpoint: gone });
    });

  const on = Boolean(endpoint && settings.data?.thisDevice);
  return (
    <section className="account-section" aria-labelledby="account-push">
      <h2 id="account-push">Notifications on this device</h2>
      <p className="muted small">Push notifications reach this browser when Hearth is not open anywhere: mentions, direct messages and the rooms you follow.</p>
      {support !== 'supported' ? (
        <p className="notice">
          {support === 'blocked' ? 'Notifications are blocked for this site in your browser’s settings.' : 'This browser cannot receive push notifications.'}
        </p>
      ) : (
        <div className="account-form">
          <p role="status" data-testid="push-state">
            {endpoint === undefined ? 'Checking…' : on ? 'Push notifications are on for this browser.' : 'Push notifications are off for this browser.'}
          </p>
          {on ? (
            <button type="button" onClick={disable} disabled={busy}>
              Turn off on this device
            </button>
          ) : (
            <button type="button" onClick={enable} disabled={busy || endpoint === undefined}>
              Turn on on this device
            </button>
          )}
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          <ErrorNote error={subscribe.error ?? unsubscribe.error} />
        </div>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={chosenPreview ?? settings.data?.preview ?? true}
          disabled={!settings.data || preview.isPending}
          onChange={(event) => choosePreview(event.target.checked)}
        />
        Show message text in push notifications
      </label>
      <p className="muted small">
        Off: every device shows only “New message” (or “New contact request” and the like), without who wrote it or what, for a lock screen others can see.
      </p>
      <ErrorNote error={preview.error ?? settings.error} />
    </section>
  );
}

function browserProblem(error: Error): string {
  if (error.name === 'NotAllowedError') return 'Notifications were not allowed. Allow them for this site in your browser to turn push on.';
  if (error.name === 'AbortError') return 'The browser’s push service could not be reached; try again later.';
  return `The browser could not turn push on: ${error.message}`;
}
