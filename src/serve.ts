#!/usr/bin/env node
import { ConfigError, readConfig } from './config.js';
import { serve } from './server.js';

/**
 * The bot's process entry point for hosting (`node dist/src/serve.js`, as App Service or a
 * container runs it): reads the configuration, serves until SIGTERM or SIGINT, then exits once
 * everything is closed. `actionplan serve` does the same from the command line.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = readConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 3;
    }
    throw e;
  }
  await serve({
    config,
    onListening: (server) =>
      process.stdout.write(`The bot is listening on ${server.url}/api/messages\n`),
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `Something went wrong: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 70;
  },
);
