import { IncomingMessage } from 'node:http';
import restify from 'restify';
import type { Config } from './config.js';
import { openContainer, type Container } from './container.js';
import type { ChannelPoster } from './ports/channel-poster.js';
import { readJsonBody } from './http/json-body.js';
import { newTurn, runInTurn } from './ports/turn-deadline.js';
import {
  createTeamsBot,
  type AuthenticationOverrides,
  type InvokeDeadline,
  type OutboundCredentialsFactory,
} from './teams/teams-bot.js';

/*
 * Loading restify adds a `query()` method to every `http.IncomingMessage` in the process. Express
 * (inside the embedded Azurite, which runs in this process for local runs) then believes each
 * request's query string is already parsed and never reads `$filter`, so every table query
 * returns the whole table. restify itself only uses `getQuery()`, so its `query` alias goes.
 */
delete (IncomingMessage.prototype as { query?: unknown }).query;

export interface StartServerOptions {
  /** The bot's stores and settings (`container.config`). */
  readonly container: Container;
  /** Overrides `config.port`; 0 lets the system choose (tests). */
  readonly port?: number;
  /** Interface to listen on; `config.host` unless given (see `listenHost`). */
  readonly host?: string;
  /** How long a request body may take to arrive (`BODY_TIMEOUT_MS` unless given; tests). */
  readonly bodyTimeoutMs?: number;
  /**
   * How long an invoke may take (INVOKE_DEADLINE unless given): longer only for tests about what
   * is written under a load no production server would carry on one thread.
   */
  readonly invokeDeadline?: InvokeDeadline;
  /** For the authentication tests (a loopback OpenID document and token endpoint). */
  readonly teams?: {
    readonly authentication?: AuthenticationOverrides;
    readonly credentialsFactory?: OutboundCredentialsFactory;
  };
}

export interface RunningServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The address listened on: `127.0.0.1`, or `::` / `0.0.0.0` for every interface. */
  readonly address: string;
  /** Posts to channels through this server's Teams door (the digest job's poster). */
  readonly poster: ChannelPoster;
  /** Stops accepting connections and waits for requests under way (at most `CLOSE_GRACE_MS`). */
  close(): Promise<void>;
}

/** Teams activities are small; a request far larger than any is refused before it is parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The Bot Connector sends an activity in one go, in milliseconds; a body still arriving after this
 * is refused (408), so slow senders cannot hold connections open.
 */
export const BODY_TIMEOUT_MS = 10_000;

/** How long the health check waits for storage before answering 503. */
export const HEALTH_STORAGE_MS = 2_000;

/** How long a stop waits for requests under way before cutting their connections. */
export const CLOSE_GRACE_MS = 10_000;

/**
 * The bot's web server: `POST /api/messages` (the messaging endpoint Azure Bot Service and the
 * Agents Playground call) and `GET /healthz` (200 `{status:'ok'}` only when storage answers, so a
 * load balancer takes an instance that cannot reach storage out of rotation). The server only
 * carries requests to the Teams door; it knows nothing of Bot Framework types.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { container } = options;
  const { config } = container;
  const logger = container.logger.child({ component: 'server' });
  const host = options.host ?? listenHost(config);
  if (!config.bot.appId) {
    logger.warn(
      { host: host ?? 'every interface' },
      host === LOOPBACK
        ? 'MicrosoftAppId is not set, so requests are accepted without a token, and the bot listens on 127.0.0.1 only (set HOST to listen elsewhere). That is right for a local run or the Agents Playground, never for a bot reachable from the internet.'
        : 'MicrosoftAppId is not set, so requests are accepted without a token, yet HOST makes the bot listen beyond this machine. That is right for a local run or the Agents Playground on a trusted network, never for a bot reachable from the internet.',
    );
  }
  if (config.bot.appId && config.bot.anyTenant) {
    logger.warn(
      {},
      'ALLOW_ANY_TENANT is true, so people in any Microsoft 365 organisation that installs the bot are answered. Set ALLOWED_TENANT_IDS instead unless the bot is offered to other organisations.',
    );
  }
  const bot = createTeamsBot({
    settings: config.bot,
    deps: container.deps,
    logger: container.logger.child({ component: 'teams' }),
    ...(options.invokeDeadline ? { invokeDeadline: options.invokeDeadline } : {}),
    ...(options.teams?.authentication ? { authentication: options.teams.authentication } : {}),
    ...(options.teams?.credentialsFactory
      ? { credentialsFactory: options.teams.credentialsFactory }
      : {}),
  });

  const server = restify.createServer({ name: 'action-plan-bot' });
  // No body parser plugin: restify's hands multipart bodies to formidable, which writes them to
  // the temp folder before any token is checked. readJsonBody accepts JSON alone (src/http).
  const bodyLimits = {
    maxBytes: MAX_BODY_BYTES,
    timeoutMs: options.bodyTimeoutMs ?? BODY_TIMEOUT_MS,
  };
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const read = await readJsonBody(req, bodyLimits);
    if (!read.ok) {
      logger.info({ status: read.status }, 'request body refused');
      // What is left of an unread body cannot be told from a next request: close after answering.
      if (read.unread) res.setHeader('connection', 'close');
      res.json(read.status, { error: read.message });
      return;
    }
    const authorization = req.header('authorization');
    const answer = await bot.handle({
      body: read.body,
      ...(authorization ? { authorization } : {}),
    });
    if (answer.body === undefined) {
      res.status(answer.status);
      res.end();
    } else {
      res.json(answer.status, answer.body);
    }
  });
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    try {
      // A load balancer's probe waits a few seconds at most: storage slower than that is down.
      await runInTurn(newTurn(HEALTH_STORAGE_MS), () => container.checkStorage());
      res.json(200, { status: 'ok' });
    } catch (error) {
      logger.warn({ err: error }, 'health check: storage is not answering');
      res.json(503, { status: 'unavailable', storage: 'not answering' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address();
  const named = host && !['0.0.0.0', '::'].includes(host) ? host : 'localhost';
  const url = `http://${named.includes(':') ? `[${named}]` : named}:${port}`;
  logger.info({ url, address, authentication: config.bot.appId ? 'on' : 'off' }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    address,
    poster: bot.poster,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        const http = server.server;
        // Requests under way get a moment to finish; idle keep-alive connections go at once.
        const deadline = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
        deadline.unref();
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        http.closeIdleConnections();
      });
      return closing;
    },
  };
}

const LOOPBACK = '127.0.0.1';

/**
 * Where the server listens: `HOST` when set; otherwise every interface for a bot with an app id
 * (its requests carry tokens), and the loopback address alone without one, so that a local run,
 * which takes requests without a token, cannot be reached from another machine.
 */
export function listenHost(config: Config): string | undefined {
  return config.host ?? (config.bot.appId ? undefined : LOOPBACK);
}

/** Something that delivers process signals: the process itself, or a test's event emitter. */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface ServeOptions {
  readonly config: Config;
  readonly port?: number;
  /** Told the server's address once it listens. */
  readonly onListening?: (server: RunningServer) => void;
  readonly signals?: SignalSource;
  /** Opens storage and the rest; `openContainer(config)` unless given (tests use in-memory storage). */
  readonly open?: (config: Config) => Promise<Container>;
}

/**
 * Runs the bot until SIGTERM or SIGINT (App Service and container platforms send SIGTERM before
 * stopping an instance): then stops taking requests, lets those under way finish, and closes
 * storage so that the embedded Azurite writes its data. Resolves once everything is closed.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const container = await (options.open ?? openContainer)(options.config);
  let server: RunningServer;
  try {
    server = await startServer({
      container,
      ...(options.port === undefined ? {} : { port: options.port }),
    });
  } catch (error) {
    await container.close();
    throw error;
  }
  options.onListening?.(server);
  // The weekly digest and the reminders: one tick every REMINDER_SWEEP_MINUTES on every instance
  // (each job's lease lets one instance work at a time); stopped first on shutdown, letting the
  // work under way finish.
  const scheduler = container.startScheduler(server.poster);
  const signals = options.signals ?? process;
  const signal = await new Promise<string>((resolve) => {
    const onTerm = () => finish('SIGTERM');
    const onInt = () => finish('SIGINT');
    const finish = (name: string) => {
      signals.off('SIGTERM', onTerm);
      signals.off('SIGINT', onInt);
      resolve(name);
    };
    signals.once('SIGTERM', onTerm);
    signals.once('SIGINT', onInt);
  });
  container.logger.info({ signal }, 'stopping');
  try {
    await scheduler?.stop();
    await server.close();
  } finally {
    await container.close();
  }
}
