import type { GraphInstallResult, TeamsAppInstaller } from '../ports/teams-app-installer.js';

/**
 * The Teams app installed for a person through Microsoft Graph (application permissions
 * `User.Read.All` to find them, `TeamsAppInstallation.ReadWriteSelfForUser.All` to install):
 *
 * 1. `GET /users/{address}`: the address as a user principal name; not found, then
 *    `GET /users?$filter=mail eq '{address}'` (two users with that mail: not guessed);
 * 2. the app's catalogue id: configured, or `GET /appCatalogs/teamsApps?$filter=externalId eq
 *    '{manifest id}'` once per process (the manifest's id is the app's external id there);
 * 3. `POST /users/{id}/teamwork/installedApps` with `teamsApp@odata.bind`: 201 installed, 409
 *    already installed (both fine); 403 a permission not granted, or no Teams licence; 404 the
 *    app not in the catalogue (or not allowed for them).
 *
 * At most `concurrency` requests are in flight (Graph limits each app's concurrent requests); a
 * 429 waits its Retry-After (capped) and a 5xx backs off, both up to `attempts` tries; a request
 * still unanswered after `timeoutMs` is abandoned. Nothing is thrown: every outcome comes back
 * with its reason, so one person's refusal never stops the others.
 */
export interface GraphInstallerOptions {
  /** `https://graph.microsoft.com/v1.0`, or a fake's. */
  readonly baseUrl: string;
  /** A bearer token for Graph (DefaultAzureCredential in production). */
  readonly token: () => Promise<string>;
  readonly catalogAppId?: string;
  readonly manifestAppId?: string;
  /** Requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Tries per request (429 and 5xx). Default 4. */
  readonly attempts?: number;
  /** The longest Retry-After honoured, and the backoff's ceiling. Default 30 s. */
  readonly maxWaitMs?: number;
  /** The first backoff after a 5xx, doubled after each. Default 1 s. */
  readonly backoffMs?: number;
}

/** Why a request could not be answered: outcome `failed`, or a refusal with its code. */
class GraphProblem extends Error {
  constructor(
    readonly outcome: 'refused' | 'failed',
    readonly code: string,
    reason: string,
  ) {
    super(reason);
  }
}

interface GraphAnswer {
  readonly status: number;
  readonly body: unknown;
}

export function createGraphInstaller(options: GraphInstallerOptions): TeamsAppInstaller {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const attempts = options.attempts ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const backoffMs = options.backoffMs ?? 1000;
  const gate = semaphore(options.concurrency ?? 4);
  let catalogId: Promise<string> | undefined;

  async function request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<GraphAnswer> {
    let token: string;
    try {
      token = await options.token();
    } catch (error) {
      throw new GraphProblem(
        'failed',
        'no_token',
        `No token for Microsoft Graph could be had (${messageOf(error)}): check the managed identity (AZURE_CLIENT_ID) and that it exists.`,
      );
    }
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await gate(() =>
          fetch(`${base}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(timeoutMs),
          }),
        );
      } catch (error) {
        const timedOut = (error as { name?: string })?.name === 'TimeoutError';
        if (attempt < attempts && !timedOut) {
          await sleep(Math.min(maxWaitMs, backoffMs * 2 ** (attempt - 1)));
          continue;
        }
        throw new GraphProblem(
          'failed',
          timedOut ? 'timeout' : 'network',
          timedOut
            ? `Microsoft Graph did not answer within ${Math.round(timeoutMs / 1000)} seconds.`
            : `Microsoft Graph could not be reached (${messageOf(error)}).`,
        );
      }
      const text = await response.text().catch(() => '');
      if (response.status === 429 || response.status >= 500) {
        if (attempt < attempts) {
          const retryAfter = Number(response.headers.get('retry-after'));
          const wait =
            response.status === 429 && Number.isFinite(retryAfter) && retryAfter >= 0
              ? retryAfter * 1000
              : backoffMs * 2 ** (attempt - 1);
          await sleep(Math.min(maxWaitMs, wait));
          continue;
        }
        throw new GraphProblem(
          'failed',
          response.status === 429 ? 'throttled' : 'failed',
          response.status === 429
            ? `Microsoft Graph kept asking to slow down (429) after ${attempts} tries; the next run tries again.`
            : `Microsoft Graph kept failing (${response.status}) after ${attempts} tries; the next run tries again.`,
        );
      }
      let parsed: unknown = undefined;
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new GraphProblem(
            'failed',
            'failed',
            `Microsoft Graph answered ${response.status} with something that is not JSON.`,
          );
        }
      }
      return { status: response.status, body: parsed };
    }
  }

  async function findUser(address: string): Promise<string> {
    const byName = await request(
      'GET',
      `/users/${encodeURIComponent(address)}?$select=id,userPrincipalName,mail`,
    );
    if (byName.status === 200) return idOf(byName.body, 'a user');
    if (byName.status !== 404) throw refusal(byName, 'look the user up');
    const filter = `mail eq '${address.replace(/'/g, "''")}'`;
    const byMail = await request(
      'GET',
      `/users?$filter=${encodeURIComponent(filter)}&$select=id,userPrincipalName,mail`,
    );
    if (byMail.status !== 200) throw refusal(byMail, 'look the user up');
    const users = valuesOf(byMail.body);
    if (users.length === 0) {
      throw new GraphProblem(
        'refused',
        'user_not_found',
        `Nobody in the directory has the user name or mail ${address}.`,
      );
    }
    if (users.length > 1) {
      throw new GraphProblem(
        'refused',
        'user_not_found',
        `${users.length} people in the directory have the mail ${address}, so the bot does not guess which one is meant.`,
      );
    }
    return idOf(users[0], 'a user');
  }

  async function findCatalogId(): Promise<string> {
    if (options.catalogAppId) return options.catalogAppId;
    const external = options.manifestAppId ?? '';
    const filter = `externalId eq '${external.replace(/'/g, "''")}'`;
    const answer = await request(
      'GET',
      `/appCatalogs/teamsApps?$filter=${encodeURIComponent(filter)}`,
    );
    if (answer.status !== 200) throw refusal(answer, 'find the app in the catalogue');
    const apps = valuesOf(answer.body);
    if (apps.length === 0) {
      throw new GraphProblem(
        'refused',
        'app_not_in_catalogue',
        `The app (manifest id ${external}) is not in the organisation's app catalogue: publish it there (atk publish), and have a Teams administrator approve it.`,
      );
    }
    return idOf(apps[0], 'an app');
  }

  return {
    async installFor(address: string): Promise<GraphInstallResult> {
      let userId: string | undefined;
      try {
        userId = await findUser(address);
        catalogId ??= findCatalogId().catch((error: unknown) => {
          catalogId = undefined; // asked again next time: it may be published by then
          throw error;
        });
        const appId = await catalogId;
        const answer = await request(
          'POST',
          `/users/${encodeURIComponent(userId)}/teamwork/installedApps`,
          { 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/${appId}` },
        );
        if (answer.status === 201 || answer.status === 200) {
          return {
            outcome: 'installed',
            code: 'installed',
            reason:
              'The app was installed for them; their chat with the bot opens when Teams says so.',
            userId,
          };
        }
        if (answer.status === 409) {
          return {
            outcome: 'installed',
            code: 'already_installed',
            reason:
              'The app was already installed for them; their chat with the bot opens when Teams says so.',
            userId,
          };
        }
        throw refusal(answer, 'install the app');
      } catch (error) {
        const problem =
          error instanceof GraphProblem
            ? error
            : new GraphProblem('failed', 'failed', `Microsoft Graph: ${messageOf(error)}`);
        return {
          outcome: problem.outcome,
          code: problem.code,
          reason: problem.message,
          ...(userId ? { userId } : {}),
        };
      }
    },
  };
}

/** A 4xx answer, in words: a permission, a licence, the app or the user missing. */
function refusal(answer: GraphAnswer, doing: string): GraphProblem {
  const message = graphMessage(answer.body);
  if (/licen[cs]/i.test(message)) {
    return new GraphProblem(
      'refused',
      'no_licence',
      `They have no Teams licence, so the app cannot be installed for them (Microsoft Graph: ${message || answer.status}).`,
    );
  }
  if (answer.status === 401 || answer.status === 403) {
    return new GraphProblem(
      'refused',
      'permission_missing',
      `Microsoft Graph refused to ${doing} (${answer.status}): the bot's identity needs the application permissions User.Read.All and TeamsAppInstallation.ReadWriteSelfForUser.All, with an administrator's consent (docs/OPERATIONS.md).`,
    );
  }
  if (answer.status === 404) {
    return doing === 'install the app'
      ? new GraphProblem(
          'refused',
          'app_not_in_catalogue',
          `Microsoft Graph could not find the app to install (404): it is not in the organisation's app catalogue, or not allowed for them.`,
        )
      : new GraphProblem('refused', 'user_not_found', `Microsoft Graph could not ${doing} (404).`);
  }
  return new GraphProblem(
    'refused',
    'failed',
    `Microsoft Graph refused to ${doing} (${answer.status}${message ? `: ${message}` : ''}).`,
  );
}

function graphMessage(body: unknown): string {
  const error = (body as { error?: { message?: unknown; code?: unknown } } | undefined)?.error;
  const parts = [error?.code, error?.message].filter((p): p is string => typeof p === 'string');
  return parts.join(': ').slice(0, 300);
}

function valuesOf(body: unknown): unknown[] {
  const value = (body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) {
    throw new GraphProblem(
      'failed',
      'failed',
      'Microsoft Graph answered a list without its values.',
    );
  }
  return value;
}

function idOf(body: unknown, what: string): string {
  const id = (body as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || id === '') {
    throw new GraphProblem('failed', 'failed', `Microsoft Graph answered ${what} without an id.`);
  }
  return id;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs at most `limit` of the given calls at once. */
function semaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(call: () => Promise<T>): Promise<T> => {
    // A slot freed is handed straight to the next waiter, so nobody slips in between.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await call();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
