import { ConfigError, loadConfig } from './app/config.ts';
import type { Services } from './app/services.ts';
import { linkUrl, publicBase } from './auth/setup.ts';
import { createHearthServer } from './http/server.ts';

/** `npm start`: the one Hearth process. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const server = await createHearthServer({ config, web: config.SERVE_WEB ? { dir: process.cwd() } : false });
  const url = await server.listen();
  const { log } = server.services;
  log.info({ url }, `Hearth is listening on ${url}`);
  await announceSetupLink(server.services, new URL(url).port);

  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * While no admin exists, every start prints the one link that creates the
 * first (admin) account: whoever reaches the port first cannot take it.
 */
async function announceSetupLink(services: Services, port: string): Promise<void> {
  if (await services.store.accounts.hasAdmin()) return;
  const link = linkUrl(publicBase(services.config, Number(port)), 'setup', services.setup.token);
  services.log.info({ setupLink: link }, `No admin yet. Create the admin account by opening this one-time setup link: ${link}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
