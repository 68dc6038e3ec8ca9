import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The Microsoft 365 Agents Playground (npm `@microsoft/m365agentsplayground`, a devDependency) run
 * as a child process by `npm start`: a Teams-like web page on this machine that talks to the bot
 * with no Azure bot registration, no tunnel and no tokens.
 */

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  readonly endpoint: string;
  /** Port for the Playground's page; it picks a random one if this is taken. */
  readonly port: number;
  /** Whether the Playground should open the page in a browser itself. */
  readonly openBrowser: boolean;
  /** The people, chats and team to show (.m365agentsplayground.yml). */
  readonly configPath: string;
  /** Where it runs; its log is devTools/m365agentsplayground.log there. */
  readonly cwd: string;
  /** Each line the Playground prints. */
  readonly onLine: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for "Listening on <port>"; 60 s unless given. */
  readonly startTimeoutMs?: number;
}

export interface RunningPlayground {
  /** The page to open: http://localhost:<port>. */
  readonly url: string;
  readonly port: number;
  /** The Playground's own log, where it explains what went wrong. */
  readonly logFile: string;
  /** Resolves with the exit code (or the signal's name) when the Playground stops, for any reason. */
  readonly exited: Promise<number | string>;
  /** Stops it: SIGTERM, then SIGKILL if it is still there after a few seconds. Safe to call twice. */
  stop(): Promise<void>;
}

/** The Playground's command-line script, or undefined when it is not installed (npm install --omit=dev). */
export function playgroundCli(): string | undefined {
  try {
    return require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    return undefined;
  }
}

/**
 * Whether the Playground can open a browser here. It exits without a word when it tries and
 * cannot, so where there is no screen (CI, a Linux box without X or Wayland, a container) it is
 * told not to (TEAMSAPPTESTER_BROWSER=none) and the URL is printed instead. An explicit
 * TEAMSAPPTESTER_BROWSER always wins. WSL opens the Windows browser, so it counts as a screen.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  const chosen = env['TEAMSAPPTESTER_BROWSER']?.trim();
  if (chosen) return chosen.toLowerCase() !== 'none';
  if (env['CI']?.trim() && env['CI'].trim().toLowerCase() !== 'false') return false;
  if (platform === 'linux') {
    return Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY'] || env['WSL_DISTRO_NAME']);
  }
  return true;
}

/** The port in the Playground's "Listening on 56150" line, if this is that line. */
export function listeningPort(line: string): number | undefined {
  const m = /\bListening on (?:port )?(\d{1,5})\b/i.exec(line);
  return m ? Number(m[1]) : undefined;
}

/**
 * How long the Playground must stay up after "Listening on <port>" to count as started: it
 * prints that line first and only then reads its config file, exiting if the file is wrong.
 */
const SETTLE_MS = 1_500;

/**
 * Starts the Playground pointed at the bot (channel msteams, telemetry off) and resolves once it
 * listens, with the port it really took. Rejects if it exits or stays silent first; the message
 * then carries the errors from the Playground's log, which is where it explains itself.
 */
export function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const cli = playgroundCli();
  if (!cli) {
    return Promise.reject(
      new Error(
        'The Microsoft 365 Agents Playground is not installed (it is a devDependency): run npm install without --omit=dev.',
      ),
    );
  }
  const logFile = join(options.cwd, 'devTools', 'm365agentsplayground.log');
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath,
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
  };
  if (!options.openBrowser) env['TEAMSAPPTESTER_BROWSER'] = 'none';
  const child = spawn(
    process.execPath,
    [
      cli,
      '--app-endpoint',
      options.endpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(options.port),
      '--disable-telemetry',
    ],
    { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | string>((done) => {
    child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
    child.once('error', (e) => done(e.message));
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopChild(child, exited));

  return new Promise<RunningPlayground>((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      outcome();
    };
    timers.push(
      setTimeout(
        () =>
          settle(() => {
            void stop();
            reject(new Error(`The Agents Playground did not start in time; see ${logFile}.`));
          }),
        options.startTimeoutMs ?? 60_000,
      ),
    );
    const onLine = (line: string): void => {
      options.onLine(line);
      const port = listeningPort(line);
      if (port === undefined) return;
      timers.push(
        setTimeout(
          () =>
            settle(() => resolve({ url: `http://localhost:${port}`, port, logFile, exited, stop })),
          SETTLE_MS,
        ),
      );
    };
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', onLine);
    }
    void exited.then(async (how) => {
      if (settled) return;
      const errors = await logErrors(logFile, logStart);
      settle(() =>
        reject(
          new Error(
            [
              `The Agents Playground stopped as it started (${how}).`,
              ...errors,
              ...(options.openBrowser && errors.length === 0
                ? [
                    'It does this when it cannot open a browser: set TEAMSAPPTESTER_BROWSER=none and open its URL yourself.',
                  ]
                : []),
              `Its log: ${logFile}`,
            ].join('\n'),
          ),
        ),
      );
    });
  });
}

/** The "error …" lines the Playground wrote to its log since `from` (a byte offset). */
async function logErrors(logFile: string, from: number): Promise<string[]> {
  try {
    const file = await open(logFile);
    try {
      const { size } = await file.stat();
      const buffer = Buffer.alloc(Math.max(0, size - from));
      await file.read(buffer, 0, buffer.length, from);
      return buffer
        .toString('utf8')
        .split(/\r?\n/)
        .filter((l) => l.startsWith('error '))
        .map((l) => `  ${l.slice('error '.length)}`);
    } finally {
      await file.close();
    }
  } catch {
    return [];
  }
}

const GRACE_MS = 5_000;

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), GRACE_MS);
  await exited;
  clearTimeout(timer);
}
