/**
 * The rate-limiting fake Bot Connector in a process of its own, for the reminders benchmark: Teams
 * is another machine, and a connector sharing the bot's event loop stamps requests with the bot's
 * own pauses (a busy moment there makes sends that left apart look as if they arrived together,
 * and so earns 429s Teams would not give). Started with `fork`; it says its address, and answers
 * "clear" and "state" (what arrived when, and every answer it gave) over the IPC channel.
 */
import { fork } from 'node:child_process';
import {
  startRateLimitingConnector,
  type Attempt,
  type Delivered,
} from '../test/helpers/rate-limiting-connector.js';

/** What the benchmark reads of the connector: when each message arrived, and every status. */
export interface ConnectorState {
  readonly delivered: readonly Pick<Delivered, 'conversationId' | 'at'>[];
  readonly attempts: readonly Pick<Attempt, 'status' | 'method' | 'path' | 'at'>[];
}

export interface ConnectorProcess {
  readonly url: string;
  clear(): Promise<void>;
  state(): Promise<ConnectorState>;
  close(): Promise<void>;
}

type Request = { readonly id: number; readonly kind: 'clear' | 'state' };
type Reply =
  | { readonly kind: 'ready'; readonly url: string }
  | { readonly kind: 'reply'; readonly id: number; readonly state?: ConnectorState };

/** Starts the connector in a child process with `latencyMs` per request. */
export async function startConnectorProcess(latencyMs: number): Promise<ConnectorProcess> {
  const child = fork(__filename, ['--serve', String(latencyMs)], { stdio: 'inherit' });
  const waiting = new Map<number, (reply: Reply) => void>();
  let nextId = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the connector process exited with ${code}`)));
    child.on('message', (reply: Reply) => {
      if (reply.kind === 'ready') return resolve(reply.url);
      waiting.get(reply.id)?.(reply);
      waiting.delete(reply.id);
    });
  });
  const ask = (kind: Request['kind']) =>
    new Promise<Reply>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, kind } satisfies Request);
    });
  return {
    url,
    clear: async () => {
      await ask('clear');
    },
    state: async () => {
      const reply = await ask('state');
      // An empty answer would read as every reminder lost: say what went wrong instead.
      if (reply.kind !== 'reply' || !reply.state) throw new Error('the connector sent no state');
      return reply.state;
    },
    close: () =>
      new Promise<void>((done) => {
        child.removeAllListeners('exit');
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill();
      }),
  };
}

async function serve(latencyMs: number): Promise<void> {
  const connector = await startRateLimitingConnector({ latencyMs });
  const reply = (message: Reply) => process.send?.(message);
  process.on('message', (request: Request) => {
    if (request.kind === 'clear') connector.clear();
    reply({
      kind: 'reply',
      id: request.id,
      ...(request.kind === 'state'
        ? {
            state: {
              delivered: connector.delivered.map(({ conversationId, at }) => ({
                conversationId,
                at,
              })),
              attempts: connector.attempts.map(({ status, method, path, at }) => ({
                status,
                method,
                path,
                at,
              })),
            },
          }
        : {}),
    });
  });
  // The benchmark going away (its IPC channel closing) ends this process too.
  process.once('disconnect', () => void connector.close().then(() => process.exit(0)));
  reply({ kind: 'ready', url: connector.url });
}

if (process.argv[2] === '--serve') void serve(Number(process.argv[3] ?? 0));
