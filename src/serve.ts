#!/usr/bin/env node
import { CONFIG_EXIT_CODE, readConfigOrSay } from './config.js';
import { startTelemetry } from './telemetry/azure-monitor-telemetry.js';

/**
 * The bot's process entry point for hosting (`node dist/src/serve.js`, as App Service or a
 * container runs it): reads the configuration, starts telemetry when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set, serves until SIGTERM or SIGINT, then exits once
 * everything is closed and the last telemetry is sent. `actionplan serve` does the same from the
 * command line, without telemetry.
 */
async function main(): Promise<number> {
  const config = readConfigOrSay((text) => process.stderr.write(`${text}\n`));
  if (!config) return CONFIG_EXIT_CODE;
  // Before the web server and the SDKs load, so that OpenTelemetry sees their HTTP calls.
  const telemetry = startTelemetry(config.telemetry);
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded after telemetry starts */
    const { serve } = require('./server.js') as typeof import('./server.js');
    const { openContainer } = require('./container.js') as typeof import('./container.js');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const logSink = telemetry.logSink;
    await serve({
      config,
      open: (c) => openContainer(c, logSink ? { logSink } : {}),
      onListening: (server) =>
        process.stdout.write(`The bot is listening on ${server.url}/api/messages\n`),
    });
  } finally {
    await telemetry.shutdown();
  }
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
