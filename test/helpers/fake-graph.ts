import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody, sendJson as send } from './loopback-http.js';

/**
 * A loopback Microsoft Graph: the directory look-ups and the Teams app installation the bot makes,
 * on 127.0.0.1, recording every request. Users are found by user principal name
 * (`GET /users/{upn}`) or by mail (`GET /users?$filter=mail eq '…'`); the app's catalogue id by
 * its external id; `POST /users/{id}/teamwork/installedApps` answers 201, or what the test asked
 * for that user (409, 403, 404, 429 with Retry-After then 201, garbage).
 */

export interface GraphUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly mail?: string;
}

/** How the install for one user is answered. */
export type InstallAnswer =
  | { readonly status: 201 | 409 | 403 | 404; readonly code?: string; readonly message?: string }
  | { readonly status: 429; readonly retryAfterSeconds: number; readonly times: number }
  | { readonly status: 'garbage' };

export interface GraphRequest {
  readonly method: string;
  /** Path and query, decoded, without the /v1.0 prefix. */
  readonly path: string;
  readonly authorization?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON
  readonly body?: any;
  /** What it was answered. */
  readonly status: number;
}

export interface FakeGraph {
  /** The base URL to configure as GRAPH_BASE_URL: `http://127.0.0.1:<port>/v1.0`. */
  readonly url: string;
  readonly requests: readonly GraphRequest[];
  addUsers(...users: GraphUser[]): void;
  /** The app in the catalogue: its catalogue id, found by the manifest's id as external id. */
  publishApp(externalId: string, catalogId: string): void;
  answerInstallFor(userId: string, answer: InstallAnswer): void;
  /** The installs it accepted (201 or 409), by user id. */
  installedFor(): string[];
  close(): Promise<void>;
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const requests: GraphRequest[] = [];
  const users: GraphUser[] = [];
  const apps = new Map<string, string>();
  const answers = new Map<string, InstallAnswer>();
  const throttledSoFar = new Map<string, number>();
  const installed: string[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: { code: 'FakeGraphError', message: String(error) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path =
      decodeURIComponent(url.pathname.replace(/^\/v1\.0/, '')) + decodeURIComponent(url.search);
    const body: unknown = text ? JSON.parse(text) : undefined;
    const record = (status: number) =>
      requests.push({
        method: req.method ?? '',
        path,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(body === undefined ? {} : { body }),
        status,
      });
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record(status);
      send(res, status, json, headers);
    };
    const answerRaw = (status: number, text: string) => {
      record(status);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };
    const parts = url.pathname
      .replace(/^\/v1\.0/, '')
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    const filter = url.searchParams.get('$filter') ?? '';
    const quoted = /'((?:[^']|'')*)'/.exec(filter)?.[1]?.replace(/''/g, "'");

    if (req.method === 'GET' && parts[0] === 'users' && parts.length === 1) {
      const found = users.filter((u) => u.mail?.toLowerCase() === quoted?.toLowerCase());
      return answer(200, { value: found });
    }
    if (req.method === 'GET' && parts[0] === 'users' && parts.length === 2) {
      const found = users.find(
        (u) => u.userPrincipalName.toLowerCase() === parts[1]!.toLowerCase(),
      );
      return found
        ? answer(200, found)
        : answer(404, { error: { code: 'Request_ResourceNotFound', message: 'Not found.' } });
    }
    if (req.method === 'GET' && parts.join('/') === 'appCatalogs/teamsApps') {
      const id = quoted ? apps.get(quoted) : undefined;
      return answer(200, { value: id ? [{ id, externalId: quoted }] : [] });
    }
    if (req.method === 'POST' && parts[0] === 'users' && parts[2] === 'teamwork') {
      const userId = parts[1]!;
      const wanted = answers.get(userId) ?? { status: 201 };
      if (wanted.status === 'garbage') {
        answerRaw(200, '<html>not json</html>');
        return;
      }
      if (wanted.status === 429) {
        const so = throttledSoFar.get(userId) ?? 0;
        if (so < wanted.times) {
          throttledSoFar.set(userId, so + 1);
          return answer(
            429,
            { error: { code: 'TooManyRequests', message: 'Slow down.' } },
            { 'retry-after': String(wanted.retryAfterSeconds) },
          );
        }
        installed.push(userId);
        return answer(201, {});
      }
      if (wanted.status === 201 || wanted.status === 409) installed.push(userId);
      return answer(
        wanted.status,
        wanted.status === 201
          ? {}
          : { error: { code: wanted.code ?? 'Error', message: wanted.message ?? 'Refused.' } },
      );
    }
    return answer(404, { error: { code: 'NotFound', message: `No route for ${path}.` } });
  }

  const base = await listenOnLoopback(server);
  return {
    url: `${base}v1.0`,
    requests,
    addUsers: (...added) => users.push(...added),
    publishApp: (externalId, catalogId) => apps.set(externalId, catalogId),
    answerInstallFor: (userId, answer) => answers.set(userId, answer),
    installedFor: () => [...installed],
    close: () => closeServer(server),
  };
}
