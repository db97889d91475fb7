import { ConfigError, loadConfig } from './app/config.ts';
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
