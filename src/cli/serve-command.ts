import { InvalidArgumentError, type Command } from 'commander';
import type { CliEnvironment } from './cli-environment.js';

/**
 * `actionplan serve [--port <port>]`: runs the bot's web server in the foreground until Ctrl+C
 * or SIGTERM, on the configuration main.ts read. It opens its own container (serve() in
 * server.ts), for as long as it runs.
 */
export function addServeCommand(
  program: Command,
  env: Pick<CliEnvironment, 'out' | 'config'>,
): void {
  const { out } = env;
  program
    .command('serve')
    .description("run the bot's web server: the Teams messaging endpoint and /healthz")
    .option('--port <port>', 'port to listen on (default: PORT, or 3978)', parsePort)
    .action(async (o: { port?: number }) => {
      // Loaded only for this command: the bot's SDKs and restify take a second to load (and
      // restify prints a deprecation warning), which every other command would pay for.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { serve } = require('../server.js') as typeof import('../server.js');
      await serve({
        config: env.config,
        ...(o.port === undefined ? {} : { port: o.port }),
        onListening: (server) =>
          out(
            `The bot is listening on ${server.url}/api/messages (health: ${server.url}/healthz). Press Ctrl+C to stop.`,
          ),
      });
      out('Stopped.');
    });
}

export function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  }
  return Number(text);
}
