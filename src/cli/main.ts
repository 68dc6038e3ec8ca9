#!/usr/bin/env node
import { ConfigError, readConfig } from '../config.js';
import { openContainer } from '../container.js';
import { readPlanFile } from '../documents/plan-file.js';
import { terminalProgress } from './progress-bar.js';
import { runCli } from './program.js';

/**
 * The `actionplan` command: reads the configuration, once, then runs one command against the
 * container it opens (src/container.ts, the same wiring as the bot's server).
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
  const cfg = config;
  return runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    config: cfg,
    open: () => openContainer(cfg),
    readPlanFile,
    progress: () => terminalProgress(process.stderr),
  });
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
