import type { Config } from '../app/config.ts';
import type { Store } from '../store/store.ts';
import { inviteProblem } from './invites.ts';
import { passwordLinkStatus } from './password-links.ts';
import type { SetupSecret } from './setup.ts';

type Deps = { store: Pick<Store, 'accounts' | 'links'>; clock: { now(): number }; config: Pick<Config, 'REGISTRATION'>; setup: SetupSecret };

export type LinkStatus =
  | { kind: 'setup' | 'invite'; problem: string | null }
  | { kind: 'reset'; problem: string; username?: undefined }
  | { kind: 'reset'; problem: null; username: string; purpose: 'reset' | 'set' };

/**
 * What the login page needs to know before anyone types: the mode, whether the
 * server has its admin yet, and, for a link it was opened with, whether that
 * link can be used (and for which person, for a password link). It says no
 * more about accounts than the link itself names.
 */
export async function registrationStatus(deps: Deps, link?: { kind: 'setup' | 'invite' | 'reset'; token: string }) {
  const setUp = await deps.store.accounts.hasAdmin();
  return { mode: deps.config.REGISTRATION, setUp, link: link ? await statusOf(deps, link, setUp) : null };
}

async function statusOf(deps: Deps, link: { kind: 'setup' | 'invite' | 'reset'; token: string }, setUp: boolean): Promise<LinkStatus> {
  switch (link.kind) {
    case 'setup':
      if (!deps.setup.matches(link.token))
        return { kind: 'setup', problem: "This setup link is not valid: use the link printed in the server's log at its latest start" };
      return { kind: 'setup', problem: setUp ? 'This setup link has been used: Hearth has its admin. Log in, or ask an admin for an invitation' : null };
    case 'invite':
      return { kind: 'invite', problem: await inviteProblem(deps, link) };
    case 'reset': {
      const status = await passwordLinkStatus(deps, link);
      return status.problem === null ? { kind: 'reset', ...status } : { kind: 'reset', problem: status.problem };
    }
  }
}
