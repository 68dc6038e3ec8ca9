import { readConfig, type Config } from '../../src/config.js';
import { openContainer, type Container } from '../../src/container.js';
import type { Clock } from '../../src/ports/clock.js';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server.js';
import type { ActivityJson, User } from './activities.js';
import { forAllTests } from './for-all-tests.js';
import { startFakeConnector, type FakeConnector } from './fake-connector.js';
import { recordingLogger, type LogRecord } from './recording-logger.js';

export * from './activities.js';
export type { LogRecord } from './recording-logger.js';

/**
 * The whole bot, as Teams would meet it: the real restify server on a free port, real storage (an
 * embedded in-memory Azurite), and a loopback fake connector for everything the bot sends. Tests
 * read as "send this activity, expect that on the connector".
 */

export interface BotDriverOptions {
  /** Environment for readConfig (LOG_LEVEL is silent, PORT 0, unless given). */
  readonly env?: Record<string, string>;
  /** People the connector's member look-up knows. */
  readonly members?: readonly User[];
  /** Authentication overrides and credentials, given the fake connector (authenticated mode). */
  readonly teams?: (connector: FakeConnector) => StartServerOptions['teams'];
  /** The bot's clock (the system's unless given): a fixed day for answers that depend on it. */
  readonly clock?: Clock;
  /** How long a request body may take to arrive (the server's default unless given). */
  readonly bodyTimeoutMs?: number;
  /** How long an invoke may take (the server's default, Teams' budget, unless given). */
  readonly invokeDeadline?: StartServerOptions['invokeDeadline'];
  /** Microsoft Graph's token (tests with GRAPH_INSTALL_ENABLED point Graph at a fake). */
  readonly graphToken?: () => Promise<string>;
}

export interface HttpAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON
  readonly body: any;
}

export interface BotDriver {
  readonly url: string;
  readonly config: Config;
  readonly container: Container;
  readonly connector: FakeConnector;
  /** Everything the bot logged, fields merged from child loggers. */
  readonly logs: readonly LogRecord[];
  /** POSTs an activity to /api/messages (serviceUrl filled in), resolving once the bot answered. */
  send(activity: ActivityJson, options?: { authorization?: string }): Promise<HttpAnswer>;
  /** POSTs a raw body to /api/messages. */
  post(body: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  /** Stops the storage emulator, as if storage went down. */
  stopStorage(): Promise<void>;
  close(): Promise<void>;
}

/** One bot for the tests of the file (or describe block) that calls this. */
export function useBotDriver(options: BotDriverOptions = {}): BotDriver {
  return forAllTests(
    () => startBotDriver(options),
    (bot) => bot.close(),
  );
}

export async function startBotDriver(options: BotDriverOptions = {}): Promise<BotDriver> {
  const connector = await startFakeConnector();
  connector.addMembers(
    ...(options.members ?? []).map((u) => ({
      id: u.id,
      name: u.name,
      aadObjectId: u.aadObjectId,
      email: u.email,
      userPrincipalName: u.email,
    })),
  );
  const logs: LogRecord[] = [];
  // New 1:1 chats (an owner reached through a team) are opened on the fake connector too.
  const config = readConfig({
    LOG_LEVEL: 'silent',
    PORT: '0',
    TEAMS_SERVICE_URL: connector.url,
    ...options.env,
  });
  let container: Container | undefined;
  let server: RunningServer | undefined;
  try {
    container = await openContainer(config, {
      inMemory: true,
      logger: recordingLogger(logs),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.graphToken ? { graphToken: options.graphToken } : {}),
    });
    const teams = options.teams?.(connector);
    server = await startServer({
      container,
      port: 0,
      host: '127.0.0.1',
      ...(teams ? { teams } : {}),
      ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs }),
      ...(options.invokeDeadline ? { invokeDeadline: options.invokeDeadline } : {}),
    });
  } catch (error) {
    await container?.close();
    await connector.close();
    throw error;
  }
  const running = server;
  const opened = container;

  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
    });
    return answerOf(response);
  };

  return {
    url: running.url,
    config,
    container: opened,
    connector,
    logs,
    send: (activity, o = {}) =>
      post(
        JSON.stringify({ serviceUrl: connector.url, ...activity }),
        o.authorization ? { authorization: o.authorization } : {},
      ),
    post,
    get: async (path) => answerOf(await fetch(`${running.url}${path}`)),
    stopStorage: () => opened.close(),
    close: async () => {
      await running.close();
      await opened.close();
      await connector.close();
    },
  };
}

async function answerOf(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}
