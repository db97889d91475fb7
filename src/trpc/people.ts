/** Someone as the UI names them; `username` is null for a former member we no longer know. */
export interface Named {
  displayName: string;
  username: string | null;
}

/**
 * Anyone can pick any display name, so it never stands alone where it could
 * pass for someone else's: the unique @username goes with it ("Alice Smith @alice").
 */
export const nameAndHandle = ({ displayName, username }: Named): string => (username === null ? displayName : `${displayName} @${username}`);
