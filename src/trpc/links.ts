/**
 * The links Hearth hands out (setup, invitation, password reset) carry their
 * token in the fragment (`/#invite=…`): browsers never send it to a server,
 * so it cannot end up in an access log or a Referer.
 */
export type LinkKind = 'setup' | 'invite' | 'reset';
export interface PageLink {
  kind: LinkKind;
  token: string;
}

const KINDS: readonly LinkKind[] = ['setup', 'invite', 'reset'];

/** The link a page was opened with (`#setup=…`, `#invite=…`, `#reset=…`), or null. */
export function linkFromHash(hash: string): PageLink | null {
  const match = /^#(setup|invite|reset)=([^&]{1,256})$/.exec(hash);
  if (!match || !KINDS.includes(match[1] as LinkKind)) return null;
  let token: string;
  try {
    token = decodeURIComponent(match[2]!);
  } catch {
    return null;
  }
  return { kind: match[1] as LinkKind, token };
}

/** The full link to hand someone, on this page's origin. */
export const linkOn = (origin: string, kind: LinkKind, token: string) => `${origin}/#${kind}=${encodeURIComponent(token)}`;

/** What the login page says about who may register, before anyone types. */
export function registrationNote(status: { mode: 'open' | 'invite' | 'closed'; setUp: boolean }): string | null {
  if (!status.setUp)
    return "This Hearth is not set up yet. Its admin creates the first account with the setup link printed in the server's log when it starts.";
  if (status.mode === 'invite') return 'New accounts need an invitation link: ask an admin of this Hearth for one.';
  if (status.mode === 'closed') return 'New accounts are created by an admin of this Hearth.';
  return null;
}
