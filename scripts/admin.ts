/**
 * `npm run admin -- <command>`: account tasks on the server's own machine,
 * with or without Hearth running, straight on the database DATABASE_URL names
 * (the same default as `npm start`). A running server sees a role change
 * within SESSION_RECHECK_MS.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { displayName as displayNameRule, password as passwordRule, username as usernameRule } from '../src/server/api/inputs.ts';
import { createAccount } from '../src/server/auth/accounts.ts';
import { listAdmins, promoteOffline } from '../src/server/auth/admin-users.ts';
import { issuePasswordLink } from '../src/server/auth/password-links.ts';
import { linkUrl, publicBase } from '../src/server/auth/setup.ts';
import { normalizeUsername } from '../src/server/auth/users.ts';
import { ConfigError, loadConfig, type Config } from '../src/server/app/config.ts';
import { isAppError } from '../src/server/lib/app-error.ts';
import { systemClock } from '../src/server/lib/clock.ts';
import { MemoryEventBus } from '../src/server/realtime/bus.ts';
import { openStore } from '../src/server/store/open.ts';
import type { Store } from '../src/server/store/store.ts';

const USAGE = `usage: npm run admin -- <command>

  reset-link <username>                   print a one-time password-reset link for the person
  create-admin <username> [--display-name NAME] [--password-stdin]
                                          create an admin account: the password is asked for
                                          (or read from stdin with --password-stdin); without
                                          a terminal, a one-time set-password link is printed
  promote <username>                      make an existing account an admin
  list-admins                             list the active admins

Reads DATABASE_URL (default file:./data/hearth.db) and PUBLIC_URL / HOST / PORT for links.
Exit codes: 0 done, 1 refused (no such user, username taken, ...), 2 usage.`;

class Usage extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'display-name': { type: 'string' }, 'password-stdin': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, username, ...extra] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const needsUser = command === 'reset-link' || command === 'create-admin' || command === 'promote';
  if (!command || !['reset-link', 'create-admin', 'promote', 'list-admins'].includes(command))
    throw new Usage(command ? `unknown command "${command}"` : 'no command given');
  if (needsUser && !username) throw new Usage(`${command} needs a username`);
  if (extra.length > 0 || (!needsUser && username)) throw new Usage(`unexpected argument "${extra[0] ?? username}"`);

  const config = loadConfig();
  const store = await openStore(config.DATABASE_URL);
  try {
    return await run(store, config, {
      command,
      username: username ?? '',
      displayName: values['display-name'],
      passwordStdin: values['password-stdin'] ?? false,
    });
  } finally {
    await store.close();
  }
}

async function run(store: Store, config: Config, args: { command: string; username: string; displayName?: string; passwordStdin: boolean }): Promise<number> {
  // An account made here joins the default room through the log like any other; the
  // bus is this process's own, so a running server's open pages see the join on their
  // next history read rather than live.
  const deps = { store, clock: systemClock, config, bus: new MemoryEventBus() };
  const base = publicBase(config);
  switch (args.command) {
    case 'reset-link': {
      const user = await store.accounts.byUsername(normalizeUsername(args.username));
      if (!user) return refuse(`No user "${normalizeUsername(args.username)}"`);
      const link = await issuePasswordLink(deps, { userId: user.id, purpose: 'reset' });
      console.log(`Password-reset link for @${user.username} (works once, until ${link.expiresAt}):\n${linkUrl(base, 'reset', link.token)}`);
      return 0;
    }
    case 'create-admin': {
      // The API's own rules for the name, the display name and the password.
      const name = usernameRule.safeParse(args.username);
      if (!name.success) return refuse(`The username ${name.error.issues[0]!.message}`);
      const display = args.displayName === undefined ? undefined : displayNameRule.safeParse(args.displayName);
      if (display && !display.success) return refuse(`The display name: ${display.error.issues[0]!.message}`);
      const password = args.passwordStdin ? await readStdin() : process.stdin.isTTY ? await promptHidden('Password for the new admin: ') : null;
      const rule = password === null ? null : passwordRule.safeParse(password);
      if (rule && !rule.success) return refuse(`The password needs ${rule.error.issues[0]!.message}`);
      const user = await createAccount(deps, { username: args.username, displayName: args.displayName, password, role: 'admin', via: { kind: 'cli' } });
      console.log(`Created admin @${user.username}.`);
      if (password === null) {
        const link = await issuePasswordLink(deps, { userId: user.id, purpose: 'set' });
        console.log(`Set its password with this one-time link (until ${link.expiresAt}):\n${linkUrl(base, 'reset', link.token)}`);
      }
      return 0;
    }
    case 'promote': {
      const user = await promoteOffline(deps, { username: args.username });
      console.log(`@${user.username} is an admin.`);
      return 0;
    }
    default: {
      const admins = await listAdmins(deps);
      if (admins.length === 0) console.log('No active admins. Create one: npm run admin -- create-admin <username>');
      for (const admin of admins) console.log(`@${admin.username}\t${admin.displayName}\tsince ${admin.createdAt}`);
      return 0;
    }
  }
}

function refuse(message: string): number {
  console.error(message);
  return 1;
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

/** A prompt that does not echo what is typed. */
function promptHidden(question: string): Promise<string> {
  process.stdout.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof Usage || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ConfigError || isAppError(error)) {
      console.error(error.message);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
