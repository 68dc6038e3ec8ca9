#!/usr/bin/env node
import { CONFIG_EXIT_CODE, readConfigOrSay } from '../config.js';
import { openContainer } from '../container.js';
import { readPlanFile } from '../documents/plan-file.js';
import { terminalProgress } from './progress-bar.js';
import { runCli } from './program.js';

/**
 * The `actionplan` command: reads the configuration, once, then runs one command against the
 * container it opens (src/container.ts, the same wiring as the bot's server).
 */
async function main(): Promise<number> {
  const config = readConfigOrSay((text) => process.stderr.write(`${text}\n`));
  if (!config) return CONFIG_EXIT_CODE;
  return runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    config,
    open: () => openContainer(config),
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
