#!/usr/bin/env node
import { join } from 'node:path';

import { CONFIG_EXIT_CODE, readConfigOrSay, type Config } from '../config.js';
import { openContainer, type Container } from '../container.js';
import { readPlanFile } from '../documents/plan-file.js';
import { startServer } from '../server.js';
import { defaultDemoFiles, projectRoot, readDemoAssignments, seedDemoPlan } from './demo-seed.js';
import { canOpenBrowser, startPlayground, type RunningPlayground } from './playground.js';

/**
 * `npm start`: the whole bot on this machine with nothing to set up and no Azure account. It
 * opens storage (the embedded Azurite, persistent under .data/, unless a storage account is
 * configured), seeds the demo plan into an empty store, starts the bot's web server, and runs the
 * Microsoft 365 Agents Playground, a Teams-like page where the demo people talk to the bot.
 * Ctrl+C (or SIGTERM) stops the Playground, the server and Azurite, in that order.
 */

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** What has been started so far, so that a stop (or a failure) closes exactly that. */
interface Running {
  container?: Container;
  server?: { close(): Promise<void> };
  playground?: RunningPlayground;
}

/**
 * The first Ctrl+C asks for a clean stop, which happens as soon as the step under way is done
 * (so nothing half-started is left behind); a second one gives up waiting.
 */
let stopRequested = false;
let requestStop: (reason: string) => void = () => undefined;
const stopSignal = new Promise<string>((resolve) => {
  requestStop = (reason) => {
    if (stopRequested) {
      out('Stopping anyway.');
      process.exit(130);
    }
    stopRequested = true;
    out(`\nStopping (${reason})…`);
    resolve(reason);
  };
});
process.on('SIGINT', () => requestStop('SIGINT'));
process.on('SIGTERM', () => requestStop('SIGTERM'));
process.on('SIGHUP', () => requestStop('SIGHUP'));

/**
 * `npm start` runs this under `sh -c`, and a SIGTERM sent to npm stops npm and the shell but not
 * this process, which would then hold its ports with nobody to stop it. Being handed to another
 * parent means whoever started it has gone: stop as for a signal.
 */
const startedBy = process.ppid;
setInterval(() => {
  if (!stopRequested && process.ppid !== startedBy) requestStop('npm has stopped');
}, 1_000).unref();

async function main(): Promise<number> {
  const config = readConfigOrSay((text) => process.stderr.write(`${text}\n`));
  if (!config) return CONFIG_EXIT_CODE;
  const running: Running = {};
  try {
    const code = await run(config, running);
    await stopAll(running);
    if (stopRequested) out('Stopped.');
    return code;
  } catch (e) {
    // Close what was opened, so the embedded Azurite writes its data before the process ends.
    await stopAll(running).catch(() => undefined);
    throw e;
  }
}

/** Starts everything and waits for a stop signal; returns the exit code. */
async function run(initial: Config, running: Running): Promise<number> {
  const root = projectRoot();
  const demoFiles = defaultDemoFiles(root);
  const demo = await readDemoAssignments(demoFiles.assignmentsPath);
  let config = initial;
  let adminNote: string | undefined;
  if (config.adminEmails.length === 0 && demo.admins.length > 0) {
    // Someone must be able to import and assign in the demo: the Playground's own user.
    config = { ...config, adminEmails: demo.admins };
    adminNote = `ADMIN_EMAILS is not set, so the demo admin ${demo.admins.join(', ')} (the Playground's user) is the plan admin for this run.`;
  }

  const embedded = !config.storage.connectionString && !config.storage.account;
  running.container = await openContainer(config);
  if (stopRequested) return 0;
  const log = running.container.logger.child({ component: 'start-local' });
  if (adminNote) log.info({ adminEmails: config.adminEmails }, adminNote);

  const seed = await seedDemoPlan(running.container.deps, demoFiles, readPlanFile);
  log.info(
    seed,
    seed.seeded
      ? `Imported the demo plan: ${seed.actionCount} actions, ${seed.areaCount} areas, ${seed.assignedCount} actions assigned, its dates moved ${seed.monthsShifted} months on to today.`
      : `Storage already holds ${seed.planIds.join(', ')}: the demo plan was not imported again.`,
  );
  if (stopRequested) return 0;

  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ container: running.container, port: config.port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    process.stderr.write(
      `Port ${config.port} is already in use: is the bot already running (npm start in another terminal)? Stop that, or choose another port with PORT=<port>.\n`,
    );
    return 1;
  }
  running.server = server;
  const endpoint = `http://127.0.0.1:${server.port}/api/messages`;
  if (stopRequested) return 0;

  const openBrowser = canOpenBrowser(process.env, process.platform);
  let playgroundProblem: string | undefined;
  try {
    running.playground = await startPlayground({
      endpoint,
      port: config.playgroundPort,
      openBrowser,
      configPath: join(root, '.m365agentsplayground.yml'),
      cwd: root,
      onLine: (line) => log.debug({ line }, 'Agents Playground'),
    });
  } catch (e) {
    // The bot is still useful without the Playground (Teams through a tunnel, the CLI).
    playgroundProblem = e instanceof Error ? e.message : String(e);
    log.warn({ err: e }, 'The Agents Playground did not start.');
  }
  if (stopRequested) return 0;

  const storage = embedded
    ? `embedded Azurite, data in ${join(config.storage.dataDir, 'azurite')}`
    : config.storage.account
      ? `the storage account at ${config.storage.account.tableUrl} (signed in with DefaultAzureCredential)`
      : 'the storage account in AZURE_STORAGE_CONNECTION_STRING';
  out(
    [
      '',
      'Action Plan is running.',
      '',
      `  Agents Playground:  ${playgroundLine(running.playground, config.playgroundPort, openBrowser, playgroundProblem)}`,
      `  Bot endpoint:       ${endpoint}`,
      `  Storage:            ${storage}`,
      `  Demo plan:          ${seed.seeded ? 'imported now' : `already stored (${seed.planIds.join(', ')})`}`,
      ...(adminNote ? ['', `  ${adminNote}`] : []),
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  void running.playground?.exited.then((how) => {
    if (stopRequested) return;
    log.warn({ exit: how }, 'The Agents Playground stopped.');
    out(`The Agents Playground stopped (${how}). The bot is still running; Ctrl+C stops it.`);
  });
  await stopSignal;
  return 0;
}

/** Where the Playground is, in words: its URL, and whether to open it by hand. */
function playgroundLine(
  playground: RunningPlayground | undefined,
  wantedPort: number,
  openBrowser: boolean,
  problem: string | undefined,
): string {
  if (!playground)
    return `not running:\n    ${(problem ?? 'no reason given').replace(/\n/g, '\n    ')}`;
  const how = openBrowser ? '(opening in your browser)' : '<- open this in a browser';
  const moved =
    wantedPort !== 0 && playground.port !== wantedPort ? ` (port ${wantedPort} was taken)` : '';
  return `${playground.url}   ${how}${moved}`;
}

/** The Playground first (it talks to the server), then the server, then storage. */
async function stopAll(running: Running): Promise<void> {
  const { playground, server, container } = running;
  running.playground = undefined;
  running.server = undefined;
  running.container = undefined;
  await playground?.stop();
  await server?.close();
  await container?.close();
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; a stray handle must still not keep a stopped demo hanging.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (e: unknown) => {
    process.stderr.write(
      `Something went wrong: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(70);
  },
);
